"""The audit log page (issue 9, item 13): every entry reads, whatever its changes hold."""

from __future__ import annotations

from django.urls import reverse

from chibo.core import audit
from chibo.core.audit import ChangeLine, change_lines
from chibo.core.models import AuditEntry


def test_changes_read_as_pairs_or_as_values():
    assert change_lines({"status": ["planned", "prepared"]}) == [
        ChangeLine(field="status", before="planned", after="prepared")
    ]
    # What meeting.agenda_built writes: a key named "items" and a count, not a pair.
    assert change_lines({"items": 15}) == [ChangeLine(field="items", after="15")]
    # Lists and mappings read as text, never as JSON (issue 9, item 20).
    assert change_lines({"members": [3, 4, 5]}) == [ChangeLine(field="members", after="3, 4, 5")]
    assert change_lines({"guest": {"name": "Lê Thị Cúc", "upper": True}}) == [
        ChangeLine(field="guest", after="name: Lê Thị Cúc; upper: true")
    ]
    assert change_lines({"note": [None, ""]}) == [ChangeLine(field="note", before="—", after="—")]
    assert change_lines({}) == []


def test_an_entry_with_an_items_key_shows_on_the_audit_page(world, client):
    audit.record(
        actor=world.an_user,
        code="meeting.agenda_built",
        target=world.khoi1,
        organization=world.khoi1,
        changes={"items": 15, "values": ["a", "b", "c"]},
    )
    audit.record(
        actor=world.an_user,
        code="member.updated",
        target=world.an,
        organization=world.khoi1,
        changes={"phone": ["0901", "0902"]},
    )
    client.force_login(world.admin_user)
    response = client.get(reverse("audit"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong>items</strong>: 15" in page
    assert "<strong>values</strong>: a, b, c" in page
    assert "<strong>phone</strong>: 0901 → 0902" in page


def test_every_code_the_seeded_demo_writes_shows_on_the_audit_page(
    demo_data, client, django_user_model
):
    """The demo runs the services of every stage (meetings, life-cycle, reviews, residence):
    each of the audit codes it leaves is listed on the page without an error."""
    codes = sorted(set(AuditEntry.objects.values_list("code", flat=True)))
    assert len(codes) > 10
    admin = django_user_model.objects.create_user("auditor", is_superuser=True, is_staff=True)
    client.force_login(admin)
    for code in codes:
        response = client.get(reverse("audit"), {"code": code})
        assert response.status_code == 200, code
        assert f"<code>{code}</code>" in response.content.decode(), code
