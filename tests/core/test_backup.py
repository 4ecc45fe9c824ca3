"""Backups of the embedded mode (issue 14): `python -m chibo backup` and `restore`. A backup
restored into a fresh directory has every row of every table, the same fingerprints of every
signed record (recomputed from the frozen content) and the same bytes of every signed file; a
backup taken while another connection writes is one consistent instant."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import tarfile
import threading

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from chibo.core import backup
from chibo.core.jobs import backup_daily_run
from chibo.meetings import services
from chibo.meetings.immutable import PURGE_TABLE
from tests.conftest import PASSWORD
from tests.meetings.doc_builders import cell_people, run_meeting


def skip_unless_sqlite() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the embedded backup is SQLite's; PostgreSQL uses pg_dump (docs)")


@pytest.fixture
def places(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CHIBO_BACKUP_DIR = tmp_path / "backups"
    return tmp_path


def live_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in [*tables, PURGE_TABLE]:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def signed_facts(conn: sqlite3.Connection) -> dict[str, object]:
    """Every signed record's fingerprint, recomputed from its frozen content and checked against
    the stored one, and every signed file's SHA-256, recomputed from its bytes and checked."""
    records = {}
    for meeting_id, fingerprint, content in conn.execute(
        "SELECT meeting_id, fingerprint, frozen_content FROM meetings_meetingrecord "
        "WHERE fingerprint <> ''"
    ):
        assert services.fingerprint_of(json.loads(content)) == fingerprint
        records[meeting_id] = fingerprint
    addenda = dict(
        conn.execute("SELECT id, fingerprint FROM meetings_addendum WHERE frozen_at IS NOT NULL")
    )
    files = {}
    for pk, content, sha256, fingerprint in conn.execute(
        "SELECT id, content, sha256, fingerprint FROM meetings_signedfile"
    ):
        assert hashlib.sha256(content).hexdigest() == sha256
        files[pk] = (sha256, fingerprint)
    return {"records": records, "addenda": addenda, "files": files}


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_fresh_directory_has_every_row_and_signed_record(world, places):
    skip_unless_sqlite()
    meeting = run_meeting(world, cell_people(world))
    addendum = services.addendum_create(
        actor=world.binh_user, meeting=meeting, text="Bổ sung một ý.", reason="Thiếu một ý"
    )
    services.addendum_sign(actor=world.binh_user, addendum=addendum, password=PASSWORD)
    services.addendum_sign(actor=world.an_user, addendum=addendum, password=PASSWORD)
    uploaded = default_storage.save("meetings/2026/bien-ban.pdf", ContentFile(b"%PDF-1.7 scan"))

    out = io.StringIO()
    call_command("backup", stdout=out)
    archives = list((places / "backups").glob("chibo-backup-*.tar.gz"))
    assert len(archives) == 1 and str(archives[0]) in out.getvalue()
    assert archives[0].stat().st_mode & 0o777 == 0o600
    assert not [p for p in (places / "backups").iterdir() if p not in archives]  # no leftovers

    call_command("restore", str(archives[0]), "--into", str(places / "restored"), stdout=out)

    restored = sqlite3.connect(places / "restored" / "chibo.sqlite3")
    try:
        counts = backup.row_counts(restored)
        live = live_counts()
        assert counts == live
        assert counts["meetings_signedfile"] == 6  # minutes, resolution, addendum × PDF, DOCX
        with connection.cursor() as cursor:
            live_facts = signed_facts(cursor.connection)
        restored_facts = signed_facts(restored)
    finally:
        restored.close()
    assert restored_facts == live_facts
    assert restored_facts["records"] == {meeting.pk: meeting.record.fingerprint}
    assert (places / "restored" / "media" / uploaded).read_bytes() == b"%PDF-1.7 scan"


@pytest.mark.django_db(transaction=True)
def test_a_restore_refuses_a_busy_directory_and_a_damaged_archive(places):
    skip_unless_sqlite()
    archive = backup.backup_create().path
    (places / "busy").mkdir()
    (places / "busy" / "notes.txt").write_text("keep me")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), "--into", str(places / "busy"))
    assert (places / "busy" / "notes.txt").read_text() == "keep me"

    damaged = places / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == backup.DB_MEMBER:
                data = data[:-1] + bytes([data[-1] ^ 1])
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(damaged), "--into", str(places / "fresh"))
    assert not (places / "fresh" / backup.DB_MEMBER).exists()


def test_a_backup_taken_while_another_connection_writes_is_one_instant(tmp_path):
    """A writer commits pairs of rows (one in each table) as fast as it can; every copy the
    backup API takes meanwhile has as many rows in one table as in the other."""
    path = tmp_path / "live.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.executescript("CREATE TABLE debit (n INTEGER); CREATE TABLE credit (n INTEGER);")
    setup.close()
    stop = threading.Event()

    def write() -> None:
        writer = sqlite3.connect(path, timeout=10)
        n = 0
        while not stop.is_set():
            with writer:
                writer.execute("INSERT INTO debit VALUES (?)", [n])
                writer.execute("INSERT INTO credit VALUES (?)", [n])
            n += 1
        writer.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        reader = sqlite3.connect(path, timeout=10)
        copies = []
        for i in range(5):
            target = tmp_path / f"copy-{i}.sqlite3"
            backup.sqlite_snapshot(reader, target)
            copies.append(target)
        reader.close()
    finally:
        stop.set()
        thread.join()
    for target in copies:
        copy = sqlite3.connect(target)
        debit = copy.execute("SELECT COUNT(*) FROM debit").fetchone()[0]
        credit = copy.execute("SELECT COUNT(*) FROM credit").fetchone()[0]
        copy.close()
        assert debit == credit


@pytest.mark.django_db(transaction=True)
def test_the_daily_job_keeps_the_newest_archives(places, settings):
    skip_unless_sqlite()
    settings.CHIBO_BACKUP_KEEP = 2
    folder = places / "backups"
    folder.mkdir()
    for stamp in ("20260101-023000", "20260102-023000", "20260103-023000"):
        (folder / f"chibo-backup-{stamp}.tar.gz").write_bytes(b"old")
    (folder / "notes.txt").write_text("not an archive")

    made = backup_daily_run()

    assert made is not None
    assert sorted(p.name for p in folder.iterdir()) == [
        "chibo-backup-20260103-023000.tar.gz",
        made.name,
        "notes.txt",
    ]
    settings.CHIBO_BACKUP_DAILY = False
    assert backup_daily_run() is None


@pytest.mark.django_db
def test_postgresql_is_pointed_to_its_own_procedure(places):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with pytest.raises(CommandError, match="pg_dump"):
        call_command("backup")
    assert backup_daily_run() is None
    assert not (places / "backups").exists()
