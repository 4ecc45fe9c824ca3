"""The demo's model meetings and briefings (issue 11 "Demo"): two model meetings a quarter
rotating in the ward and the commune, the signed ones shared as examples, Khối 1's secretary
invited this quarter; the ward's monthly and the commune's quarterly briefings."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from chibo.meetings.models import MeetingStatus
from chibo.supervision.models import Briefing, BriefingAttendanceStatus, ModelMeeting
from chibo.supervision.rotation import quarter_of


def test_model_meetings_rotate_two_a_quarter(demo_data):
    today = timezone.localdate()
    current = (today.year, quarter_of(today))
    for code in ("38.168", "38.201"):
        rows = list(
            ModelMeeting.objects.filter(committee__code=code).select_related("meeting", "cell")
        )
        quarters = {(row.year, row.quarter) for row in rows}
        assert len(quarters) >= 4
        # Two a quarter (the first quarter of the history may lack a signed meeting of a type).
        assert sum(1 for row in rows if (row.year, row.quarter) == current) == 2
        # Rotation: no cell of a type hosts twice while another of the type never hosted.
        hosts = [row.cell_id for row in rows if row.cell_type in {"residential_group", "village"}]
        assert len(hosts) == len(set(hosts))
        for row in rows:
            if (row.year, row.quarter) < current:
                assert row.meeting.status == MeetingStatus.SIGNED
            assert row.invitations.exists()


def test_khoi1_secretary_is_invited_this_quarter_and_reads_examples(client, demo_data):
    client.login(username="bithu.khoi1", password="chibo-demo-2026")
    page = client.get(reverse("supervision:model_meeting_invitations"))
    assert page.status_code == 200
    assert page.content.decode().count("supervision/model-meetings/") >= 2
    examples = client.get(reverse("supervision:model_meeting_examples")).content.decode()
    signed = ModelMeeting.objects.filter(
        committee__code="38.168", meeting__status=MeetingStatus.SIGNED
    ).select_related("cell")
    assert signed and all(row.cell.name in examples for row in signed)
    other = ModelMeeting.objects.filter(committee__code="38.201").select_related("cell").first()
    assert other is not None and other.cell.name not in examples  # the commune's: not shared


def test_briefings_of_the_ward_and_the_commune(demo_data):
    ward = Briefing.objects.filter(committee__code="38.168")
    assert ward.filter(period="monthly").count() >= 12
    commune = Briefing.objects.filter(committee__code="38.201", period="quarterly")
    assert commune.count() >= 5
    held = ward.filter(date__lt=timezone.localdate()).first()
    assert held is not None and held.conclusions
    statuses = set(held.attendance.values_list("status", flat=True))
    assert BriefingAttendanceStatus.PRESENT in statuses
    assert held.attendance.exclude(report="").exists()
    coming = ward.filter(date__gte=timezone.localdate()).get()
    assert coming.attendance.filter(status=BriefingAttendanceStatus.INVITED).count() == 24
    assert coming.date - timezone.localdate() < datetime.timedelta(days=32)
