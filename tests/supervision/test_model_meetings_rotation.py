"""The rotation of model meetings (DOMAIN R7.5, §9a; field report 002): every cell once before
any cell twice, by cell type, counted across years and terms."""

from __future__ import annotations

import datetime

import pytest

from chibo.core.rules import LIKELY, LOCAL, rule_in_force
from chibo.supervision.rotation import PastModelMeeting, next_cell, rotation_order


def test_every_cell_hosts_once_before_any_hosts_twice():
    cells = [11, 12, 13]
    past: list[PastModelMeeting] = []
    hosts = []
    day = datetime.date(2024, 1, 15)
    for quarter in range(7):
        host = next_cell(cells, past)
        assert host is not None
        hosts.append(host)
        past.append(PastModelMeeting(host, day + datetime.timedelta(days=91 * quarter)))
    assert sorted(hosts[:3]) == cells
    assert sorted(hosts[3:6]) == cells
    assert hosts[:3] == [11, 12, 13]  # ties go by the committee's order of cells
    assert hosts[3:6] == hosts[:3]  # then the oldest last model meeting first


def test_counted_across_years_and_terms():
    # Cell 12 hosted in the last term (2020), 11 and 13 never: 11 and 13 come first.
    past = [PastModelMeeting(12, datetime.date(2020, 5, 1))]
    assert rotation_order([11, 12, 13], past) == [11, 13, 12]
    # All hosted once: the one whose turn is longest ago is next.
    past = [
        PastModelMeeting(11, datetime.date(2025, 2, 1)),
        PastModelMeeting(12, datetime.date(2019, 8, 1)),
        PastModelMeeting(13, datetime.date(2024, 11, 1)),
    ]
    assert next_cell([11, 12, 13], past) == 12


def test_fewest_first_even_when_their_last_was_recent():
    past = [
        PastModelMeeting(11, datetime.date(2021, 1, 1)),
        PastModelMeeting(11, datetime.date(2022, 1, 1)),
        PastModelMeeting(12, datetime.date(2026, 1, 1)),
    ]
    assert next_cell([11, 12], past) == 12


def test_other_types_cells_are_not_counted():
    # The caller passes one type's cells; meetings of cells of another type are ignored.
    past = [PastModelMeeting(99, datetime.date(2026, 1, 1))]
    assert rotation_order([11, 12], past) == [11, 12]
    assert next_cell([], past) is None


@pytest.mark.django_db
def test_rule_is_one_model_meeting_per_cell_type_each_quarter():
    rule = rule_in_force("model_meeting.rotation", organization=None, on=datetime.date(2026, 6, 1))
    assert rule.value == {"per_quarter": 1}
    assert rule.basis == LOCAL
    assert rule.confidence == LIKELY
    assert "Vị Xuyên" in rule.regulation  # field report 002
