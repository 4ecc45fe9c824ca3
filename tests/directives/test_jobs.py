"""Reminders of directives not yet disseminated (issue 10: "directives not yet disseminated
near their deadline … each is sent exactly once per (object, recipient, kind, day) even when
the job runs twice")."""

import datetime

import pytest

from chibo.directives.jobs import DUE_SOON_DAYS, remind_directives
from chibo.notify.models import Notification
from tests.conftest import give_position
from tests.directives.conftest import issue
from tests.meetings.doc_builders import cell_people, run_meeting

pytestmark = pytest.mark.django_db


def test_near_the_deadline_the_secretary_is_reminded_once(world, ward_keeper):
    directive = issue(ward_keeper, world.ward, target_mode="units", units=[world.khoi1])
    give_position(world.binh, world.khoi1, "deputy_secretary")
    day = directive.disseminate_by - datetime.timedelta(days=DUE_SOON_DAYS)
    assert remind_directives(today=day - datetime.timedelta(days=1)) == 0
    assert remind_directives(today=day) == 2
    assert remind_directives(today=day) == 0  # the job ran twice: nothing more
    rows = Notification.objects.filter(code="directive.due")
    assert {row.recipient for row in rows} == {world.an_user, world.binh_user}
    assert "12-CT/ĐU" in rows[0].title and rows[0].url.endswith(f"/directives/{directive.pk}/")


def test_once_overdue_then_every_week(world, ward_keeper):
    directive = issue(ward_keeper, world.ward, target_mode="units", units=[world.khoi1])
    late = directive.disseminate_by + datetime.timedelta(days=1)
    assert remind_directives(today=late) == 1
    assert remind_directives(today=late) == 0
    assert remind_directives(today=late + datetime.timedelta(days=1)) == 0
    assert remind_directives(today=late + datetime.timedelta(days=7)) == 1
    assert (
        Notification.objects.filter(code="directive.overdue", recipient=world.an_user).count() == 2
    )


def test_a_disseminated_directive_is_not_reminded(world, ward_keeper):
    directive = issue(ward_keeper, world.ward, target_mode="units", units=[world.khoi1])
    run_meeting(world, cell_people(world))
    assert remind_directives(today=directive.disseminate_by) == 0
