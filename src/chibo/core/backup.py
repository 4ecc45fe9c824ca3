"""Backups of the embedded mode (SQLite database + media files) and their restore.

`backup_create` takes a consistent copy of the running database with SQLite's online backup
API (`sqlite3.Connection.backup`: one read transaction over the whole copy, so writers carry on
in WAL mode and the copy is the database as of one instant), THEN copies the media directory,
and writes both with a manifest (chibo version, applied migrations, row counts per table, the
SHA-256 of every file) into ONE archive `chibo-backup-YYYYmmdd-HHMMSS.tar.gz`, written to a
temporary name and renamed (mode 0600), so a half-written archive never carries the final name.

Database first, media second: an uploaded file is written to MEDIA_ROOT by the model's save,
inside the transaction that inserts its row, so every file the database snapshot names was
complete before the snapshot began. A file written after the snapshot may be copied too (an
orphan nobody names, harmless); one deleted between the two steps is listed in the manifest's
`missing_media` (its row's deletion was committed after the snapshot and is not in it either,
except for the rare delete-after-commit of an export being purged). The signed documents
themselves (meetings.SignedFile) are rows of the database, not media files.

`backup_restore` unpacks an archive into a data directory (empty unless forced), verifies the
checksum of every file against the manifest before anything is moved into place, then checks
the restored database (integrity and row counts per table against the manifest).

PostgreSQL deployments use PostgreSQL's own tools (pg_dump, WAL archiving): see
docs/deployment.md, "Backup and restore (issue 14)"."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

import chibo

ARCHIVE_PREFIX = "chibo-backup-"
ARCHIVE_SUFFIX = ".tar.gz"
DB_MEMBER = "chibo.sqlite3"
MEDIA_MEMBER = "media"
MANIFEST_MEMBER = "manifest.json"
MANIFEST_FORMAT = 1
_CHUNK = 1024 * 1024


class BackupError(RuntimeError):
    """A backup or restore that cannot be done as asked; the message says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]


@dataclass
class RestoreResult:
    database: Path
    media: Path
    manifest: dict[str, Any]
    row_counts: dict[str, int] = field(default_factory=dict)


def backup_dir() -> Path:
    return Path(settings.CHIBO_BACKUP_DIR)


def ensure_embedded(alias: str = "default") -> None:
    """Refuse any database but the embedded mode's SQLite."""
    vendor = connections[alias].vendor
    if vendor != "sqlite":
        raise BackupError(
            "chibo backup covers the embedded mode (SQLite) only. This installation uses "
            f"{vendor}: back it up with PostgreSQL's own tools (pg_dump -Fc nightly, WAL "
            "archiving for point-in-time recovery) as described in docs/deployment.md, "
            "section 'Backup and restore (issue 14)'."
        )


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def open_copy(path: Path) -> sqlite3.Connection:
    """A plain connection to an SQLite copy, with the SQL functions Django registers on its
    own (CHECK constraints call them, and integrity_check evaluates the constraints)."""
    # Private to Django but stable since 4.1; without it a CHECK naming one fails the check.
    from django.db.backends.sqlite3 import _functions  # type: ignore[attr-defined]

    conn = sqlite3.connect(path)
    _functions.register(conn)
    return conn


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]


def row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """The number of rows of every table of an SQLite database."""
    return {
        table: conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        for table in _tables(conn)
    }


def _migrations(conn: sqlite3.Connection) -> list[str]:
    if "django_migrations" not in _tables(conn):
        return []
    return [
        f"{app}.{name}"
        for app, name in conn.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    ]


def sqlite_snapshot(source: sqlite3.Connection, target: Path) -> None:
    """Copy the database of `source` into the file `target` with SQLite's online backup API,
    as one instant: pages=-1 (the default) copies everything in one step under one read
    transaction, so a write committed meanwhile (WAL) is either entirely in the copy or not
    at all, and writers are not held up."""
    dst = sqlite3.connect(target)
    try:
        source.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # the copy stands alone, no -wal beside it
    finally:
        dst.close()


def _snapshot_database(target: Path, alias: str = "default") -> None:
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("a backup must start outside any transaction")
    connection.ensure_connection()
    sqlite_snapshot(connection.connection, target)


def _copy_media(media_root: Path, target: Path) -> tuple[dict[str, str], list[str]]:
    """Copy every media file into `target`, hashing each as it is read (the hash is the copy's).
    Returns {relative path: sha256} and the files that vanished while being copied."""
    hashes: dict[str, str] = {}
    vanished: list[str] = []
    if not media_root.is_dir():
        return hashes, vanished
    for path in sorted(media_root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        relative = path.relative_to(media_root).as_posix()
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        try:
            with path.open("rb") as source, destination.open("wb") as out:
                while chunk := source.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
        except FileNotFoundError:
            vanished.append(relative)
            destination.unlink(missing_ok=True)
            continue
        hashes[relative] = digest.hexdigest()
    return hashes, vanished


def _media_names(conn: sqlite3.Connection) -> set[str]:
    """Every file name a FileField of the snapshot holds (to list the ones not copied)."""
    from django.apps import apps
    from django.db import models

    names: set[str] = set()
    tables = set(_tables(conn))
    for model in apps.get_models():
        table = model._meta.db_table
        if table not in tables:
            continue
        for item in model._meta.concrete_fields:
            if isinstance(item, models.FileField):
                names.update(
                    row[0]
                    for row in conn.execute(
                        f'SELECT "{item.column}" FROM "{table}" WHERE "{item.column}" <> \'\''  # noqa: S608
                    )
                    if row[0]
                )
    return names


def backup_create(
    *, directory: Path | None = None, now: datetime.datetime | None = None
) -> BackupResult:
    """Write one backup archive of the embedded database and media files; returns its path
    and manifest. Safe while the server runs (see the module's docstring)."""
    ensure_embedded()
    directory = directory or backup_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    created = now or timezone.now()
    stamp = timezone.localtime(created).strftime("%Y%m%d-%H%M%S")
    final = directory / f"{ARCHIVE_PREFIX}{stamp}{ARCHIVE_SUFFIX}"
    if final.exists():
        raise BackupError(f"{final} exists already; wait a second and run the backup again")
    with tempfile.TemporaryDirectory(prefix=".chibo-backup-", dir=directory) as work:
        staging = Path(work)
        db_copy = staging / DB_MEMBER
        _snapshot_database(db_copy)  # first: the instant the backup stands for
        media_hashes, vanished = _copy_media(Path(settings.MEDIA_ROOT), staging / MEDIA_MEMBER)
        conn = open_copy(db_copy)
        try:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if integrity != "ok":
                raise BackupError(f"the database copy failed its integrity check: {integrity}")
            counts = row_counts(conn)
            migrations = _migrations(conn)
            missing = sorted(_media_names(conn) - set(media_hashes))
        finally:
            conn.close()
        manifest: dict[str, Any] = {
            "format": MANIFEST_FORMAT,
            "chibo_version": getattr(chibo, "__version__", "") or _package_version(),
            "created_at": created.isoformat(),
            "database": DB_MEMBER,
            "migrations": migrations,
            "row_counts": counts,
            "files": {
                DB_MEMBER: _sha256_file(db_copy),
                **{f"{MEDIA_MEMBER}/{name}": digest for name, digest in media_hashes.items()},
            },
            "missing_media": sorted(set(missing) | set(vanished)),
        }
        partial = directory / f".{final.name}.partial"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                archive.add(db_copy, arcname=DB_MEMBER)
                for name in media_hashes:
                    archive.add(staging / MEDIA_MEMBER / name, arcname=f"{MEDIA_MEMBER}/{name}")
                body = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST_MEMBER)
                info.size = len(body)
                info.mtime = int(created.timestamp())
                info.mode = 0o600
                archive.addfile(info, io.BytesIO(body))
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupResult(path=final, manifest=manifest)


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chibo")
    except PackageNotFoundError:
        return "unknown"


def backups_prune(*, keep: int, directory: Path | None = None) -> list[Path]:
    """Delete all but the newest `keep` archives (by the time in their names); returns the
    deleted ones. Files that are not chibo archives are left alone."""
    directory = directory or backup_dir()
    if not directory.is_dir():
        return []
    archives = sorted(
        path for path in directory.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}") if path.is_file()
    )
    doomed = archives[: max(0, len(archives) - max(keep, 1))]
    for path in doomed:
        path.unlink()
    return doomed


# -- restore ----------------------------------------------------------------------------------


def read_manifest(archive_path: Path) -> dict[str, Any]:
    with tarfile.open(archive_path, "r:gz") as archive:
        member = archive.extractfile(MANIFEST_MEMBER)
        if member is None:
            raise BackupError(f"{archive_path} has no manifest: not a chibo backup")
        manifest: dict[str, Any] = json.load(member)
    if manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"{archive_path}: unknown manifest format {manifest.get('format')!r}")
    return manifest


def database_in_use(path: Path) -> bool:
    """True when another process holds a lock on the SQLite file at `path` (a server that
    is writing or reading right now). An idle server holds no lock: stop it before a restore."""
    if not path.exists():
        return False
    conn = sqlite3.connect(path, timeout=0)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def backup_restore(archive_path: Path, *, into: Path, force: bool = False) -> RestoreResult:
    """Restore an archive into the data directory `into`: `chibo.sqlite3` and `media/`.

    `into` must be empty (or missing) unless `force`; with `force` its database and media are
    replaced, and the restore refuses while another process holds the database. Nothing is
    moved into place before every file has matched its checksum in the manifest."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"{archive_path} does not exist")
    into = Path(into)
    if into.exists() and not into.is_dir():
        raise BackupError(f"{into} is not a directory")
    if into.exists() and any(into.iterdir()) and not force:
        raise BackupError(
            f"{into} is not empty; restore into an empty directory, or add --force to replace "
            "its database and media (stop chibo first)"
        )
    target_db = into / DB_MEMBER
    if database_in_use(target_db):
        raise BackupError(f"{target_db} is in use by another process; stop chibo and try again")
    manifest = read_manifest(archive_path)
    expected: dict[str, str] = manifest["files"]
    into.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tempfile.TemporaryDirectory(prefix=".chibo-restore-", dir=into) as work:
        staging = Path(work)
        with tarfile.open(archive_path, "r:gz") as archive:
            names = {m.name for m in archive.getmembers() if m.isfile()} - {MANIFEST_MEMBER}
            if names != set(expected):
                extra, lost = sorted(names - set(expected)), sorted(set(expected) - names)
                raise BackupError(
                    f"{archive_path} does not match its manifest (extra: {extra[:5]}, "
                    f"missing: {lost[:5]})"
                )
            # The "data" filter refuses absolute paths, "..", links and device files.
            archive.extractall(staging, filter="data")
        for name, digest in expected.items():
            if _sha256_file(staging / name) != digest:
                raise BackupError(f"{name} in {archive_path} does not match its checksum")
        conn = open_copy(staging / DB_MEMBER)
        try:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            counts = row_counts(conn)
        finally:
            conn.close()
        if integrity != "ok":
            raise BackupError(f"the restored database failed its integrity check: {integrity}")
        if counts != manifest["row_counts"]:
            raise BackupError("the restored database's row counts differ from the manifest")
        # Into place: the old files go only now that the new ones are proven.
        for suffix in ("", "-wal", "-shm", "-journal"):
            (into / f"{DB_MEMBER}{suffix}").unlink(missing_ok=True)
        os.replace(staging / DB_MEMBER, target_db)
        os.chmod(target_db, 0o600)
        media = into / MEDIA_MEMBER
        if media.exists():
            shutil.rmtree(media)
        restored_media = staging / MEDIA_MEMBER
        if restored_media.exists():
            os.replace(restored_media, media)
        else:
            media.mkdir()
    return RestoreResult(database=target_db, media=media, manifest=manifest, row_counts=counts)
