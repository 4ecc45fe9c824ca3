"""Signed records are immutable in the database too (issue 14): triggers on SQLite and
PostgreSQL refuse, with "chibo: signed record is immutable",

- an UPDATE of a frozen record's fingerprint or frozen content, and its DELETE;
- an UPDATE or DELETE of a signature once what it signed is frozen (the minutes' record, or
  its addendum);
- an UPDATE of a frozen addendum's number, text, reason, fingerprint, freezing time or meeting,
  and its DELETE;
- any UPDATE or DELETE of a signed file (the stored bytes of a frozen document).

Signatures of minutes not frozen yet may still be withdrawn (deleted) and unsigned addenda
withdrawn, as the services allow. The one escape is for DELETE only: a row in
`meetings_signed_purge`, inserted and removed inside the purging transaction by
chibo.meetings.immutable.signed_records_purge (the demo's reset, the test database's flush
and snapshots); no other connection ever sees it. Updates have no escape at all."""

from django.db import migrations

MESSAGE = "chibo: signed record is immutable"

RECORD_FROZEN = "OLD.fingerprint <> ''"
RECORD_CHANGED = (
    "(NEW.fingerprint IS DISTINCT FROM OLD.fingerprint "
    "OR NEW.frozen_content IS DISTINCT FROM OLD.frozen_content)"
)
ADDENDUM_FROZEN = "OLD.frozen_at IS NOT NULL"
ADDENDUM_CHANGED = (
    "(NEW.number IS DISTINCT FROM OLD.number OR NEW.text IS DISTINCT FROM OLD.text "
    "OR NEW.reason IS DISTINCT FROM OLD.reason OR NEW.fingerprint IS DISTINCT FROM OLD.fingerprint "
    "OR NEW.frozen_at IS DISTINCT FROM OLD.frozen_at OR NEW.meeting_id IS DISTINCT FROM OLD.meeting_id)"
)
SIGNATURE_FROZEN = (
    "((OLD.addendum_id IS NULL AND EXISTS (SELECT 1 FROM meetings_meetingrecord r "
    "WHERE r.meeting_id = OLD.meeting_id AND r.fingerprint <> '')) "
    "OR (OLD.addendum_id IS NOT NULL AND EXISTS (SELECT 1 FROM meetings_addendum a "
    "WHERE a.id = OLD.addendum_id AND a.frozen_at IS NOT NULL)))"
)
NO_PURGE = "NOT EXISTS (SELECT 1 FROM meetings_signed_purge)"

# (name, event, table, condition)
TRIGGERS = [
    ("record_update", "UPDATE", "meetings_meetingrecord", f"{RECORD_FROZEN} AND {RECORD_CHANGED}"),
    ("record_delete", "DELETE", "meetings_meetingrecord", f"{RECORD_FROZEN} AND {NO_PURGE}"),
    ("signature_update", "UPDATE", "meetings_signature", SIGNATURE_FROZEN),
    ("signature_delete", "DELETE", "meetings_signature", f"{SIGNATURE_FROZEN} AND {NO_PURGE}"),
    (
        "addendum_update",
        "UPDATE",
        "meetings_addendum",
        f"{ADDENDUM_FROZEN} AND {ADDENDUM_CHANGED}",
    ),
    ("addendum_delete", "DELETE", "meetings_addendum", f"{ADDENDUM_FROZEN} AND {NO_PURGE}"),
    ("signedfile_update", "UPDATE", "meetings_signedfile", "1 = 1"),
    ("signedfile_delete", "DELETE", "meetings_signedfile", NO_PURGE),
]

PURGE_TABLE = "CREATE TABLE meetings_signed_purge (granted_at integer NOT NULL)"


def sqlite_sql() -> list[str]:
    statements = [PURGE_TABLE]
    for name, event, table, condition in TRIGGERS:
        statements.append(
            f"CREATE TRIGGER meetings_immutable_{name} BEFORE {event} ON {table} "
            f"FOR EACH ROW WHEN {condition.replace('IS DISTINCT FROM', 'IS NOT')} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )
    return statements


def sqlite_reverse() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS meetings_immutable_{name}" for name, *_ in TRIGGERS] + [
        "DROP TABLE IF EXISTS meetings_signed_purge"
    ]


def postgresql_sql() -> list[str]:
    # PostgreSQL forbids subqueries in a trigger's WHEN: each condition is the body of its own
    # function, which raises (SQLSTATE 23000, an integrity error like SQLite's RAISE(ABORT)).
    statements = [PURGE_TABLE]
    for name, event, table, condition in TRIGGERS:
        statements.append(
            f"CREATE FUNCTION meetings_immutable_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF {condition} THEN RAISE EXCEPTION '{MESSAGE}' "
            "USING ERRCODE = 'integrity_constraint_violation'; END IF; "
            f"RETURN {'OLD' if event == 'DELETE' else 'NEW'}; END $$"
        )
        statements.append(
            f"CREATE TRIGGER meetings_immutable_{name} BEFORE {event} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION meetings_immutable_{name}()"
        )
    return statements


def postgresql_reverse() -> list[str]:
    statements = []
    for name, _event, table, _condition in TRIGGERS:
        statements.append(f"DROP TRIGGER IF EXISTS meetings_immutable_{name} ON {table}")
        statements.append(f"DROP FUNCTION IF EXISTS meetings_immutable_{name}()")
    return [*statements, "DROP TABLE IF EXISTS meetings_signed_purge"]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    statements = {"sqlite": sqlite_sql, "postgresql": postgresql_sql}.get(connection.vendor)
    for sql in statements() if statements else []:
        schema_editor.execute(sql, params=None)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    statements = {"sqlite": sqlite_reverse, "postgresql": postgresql_reverse}.get(
        connection.vendor
    )
    for sql in statements() if statements else []:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0006_i10_proposals_agenda")]

    operations = [migrations.RunPython(forwards, backwards)]
