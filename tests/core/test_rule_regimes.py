"""Issue 9, items 2, 3 and 7: rules explain themselves truthfully (regulation, clause,
confidence, local or chibo default), one regime by date with one fallback policy, and the
readings DOMAIN.md leaves open as settings with their source. Numbers, regulations and clauses
are DOMAIN.md's (§0 and the R… quoted on each test)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone, translation

from chibo.core import rules
from chibo.core.errors import ServiceError
from chibo.core.rule_data import AN_PHU_FRAME
from chibo.lifecycle import probation
from chibo.lifecycle import services as lifecycle_services
from chibo.lifecycle.rules import rule_for
from chibo.members import dues
from chibo.orgs import services_rules

D = datetime.date


def central(key: str, on: datetime.date) -> rules.Resolved:
    return rules.rule_in_force(key, organization=None, on=on)


def english(resolved: rules.Resolved) -> str:
    with translation.override("en"):
        return resolved.explain()


def months_from_2016() -> list[datetime.date]:
    today = timezone.localdate()
    day, months = D(2016, 1, 1), []
    while day <= today:
        months.append(day)
        day = D(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


# -- item 2: the explanation carries confidence and says when a value is a default ----------


def test_explain_gives_regulation_clause_and_confidence():
    """R2.1: more than half, Charter Art. 10.5, sure."""
    assert english(central("vote.majority", D(2026, 3, 1))) == (
        "Votes needed to adopt a resolution: more than half of the official members — "
        "Điều lệ Đảng, Điều 10, khoản 5 (in force from 19/01/2011; confidence: sure)"
    )


def test_explain_says_when_the_clause_is_not_identified():
    """R3.29: 5,000 VND for students, 01-QĐ/TW (3/2/2026), no clause in DOMAIN."""
    assert english(central("dues.student_amount_vnd", D(2026, 3, 1))) == (
        "Monthly dues of students: 5.000 VND — Quy định 01-QĐ/TW (03/02/2026), clause not "
        "identified (in force from 03/02/2026; confidence: sure)"
    )


def test_the_three_confidences_read_in_vietnamese():
    """The legend of DOMAIN.md: sure, likely, unsure → chắc chắn, khả năng cao, chưa chắc."""
    with translation.override("vi"):
        sure = central("probation.months", D(2026, 3, 1)).explain()  # R3.8, sure
        likely = central("transfer.official_deadline_working_days", D(2026, 3, 1)).explain()
        unsure = central("meeting.notice_days_before", D(2026, 3, 1)).explain()
    assert "12 tháng" in sure and "mức tin cậy: chắc chắn)" in sure
    assert "60 ngày làm việc" in likely and "mức tin cậy: khả năng cao)" in likely
    assert "Điểm 6.3.1a" in likely  # 294 §6.3.1a
    assert "mức tin cậy: chưa chắc)" in unsure


def test_meeting_rating_bands_come_from_provincial_handbooks_not_12_hd():
    """R1.13: Tốt ≥ 90, Khá 70, Trung bình 50 — Bình Thuận [S17], Phú Thọ [S18]; local."""
    bands = central("meeting.rating_bands", D(2026, 3, 1))
    assert bands.value == {"good": 90, "fair": 70, "average": 50}
    assert "12-HD" not in bands.regulation
    assert "Bình Thuận" in bands.regulation and "Phú Thọ" in bands.regulation
    assert bands.basis == rules.LOCAL
    assert "a local practice chibo uses as the default" in english(bands)


def test_the_meeting_frame_is_one_wards_unsure_frame_not_42_hd():
    """R1.17: the 100-point frame of Phường An Phú, from third-party code: unsure, local."""
    frame = central("meeting.scoring_frame", D(2026, 3, 1))
    assert "Phường An Phú" in frame.regulation
    assert frame.confidence == rules.UNSURE and frame.basis == rules.LOCAL
    text = english(frame)
    assert "28 criteria, 100 points in all" in text
    assert "confidence: unsure; a local practice chibo uses as the default" in text


def test_the_6_month_rating_exclusion_is_chibos_not_charter_article_7():
    """R3.17: exempted members are not rated (24-QĐ/TW điểm 7.1 [S63]); the 6 months are
    chibo's default."""
    for day in (D(2023, 12, 31), D(2026, 12, 31)):
        rule = central("exemption.rating_excluded_min_months", day)
        assert rule.value == 6
        assert rule.regulation != "Điều lệ Đảng" and rule.clause != "Điều 7"
        assert rule.basis == rules.CHIBO and rule.confidence == rules.UNSURE
        assert "chibo's default, not a value set by this regulation" in english(rule)
    older = central("exemption.rating_excluded_min_months", D(2023, 12, 31))
    assert (older.regulation, older.clause) == ("Quy định 24-QĐ/TW (30/7/2021)", "Điểm 7.1")


def test_the_36_months_of_readmission_are_quoted_from_208_only():
    """R3.11: 36 months from 208-QĐ/TW (26/7/2026, quiz); 294 §3.5 only bars some grounds."""
    for version in rules.central_versions("readmission.min_months_after_leaving"):
        assert version.value == 36
        assert "3.5" not in version.clause
        if version.regulation == "Quy định 208-QĐ/TW (26/7/2026)":
            assert version.basis == rules.REGULATION
        else:
            assert version.basis == rules.CHIBO
    current = central("readmission.min_months_after_leaving", D(2026, 8, 1))
    assert current.regulation == "Quy định 208-QĐ/TW (26/7/2026)"
    under_294 = central("readmission.min_months_after_leaving", D(2026, 3, 1))
    assert under_294.regulation == "Quy định 294-QĐ/TW (26/5/2025)"
    assert "chibo's default" in english(under_294)


@pytest.mark.django_db
def test_an_introducer_refusal_cites_the_12_months(world):
    """R3.5: an introducer has known the candidate for ≥ 12 months (294-QĐ/TW); the refusal
    cites the rule with its confidence."""
    from tests.lifecycle.test_admission import DATES, TODAY, _candidate, _through

    with time_machine.travel(TODAY, tick=False):
        candidate = _through(world, _candidate(world), "verification")
        with pytest.raises(ServiceError) as refused:
            lifecycle_services.candidate_introducer_add(
                actor=world.an_user,
                candidate=candidate,
                member=world.an,
                known_since=D(2025, 7, 15),  # 11 months before 15/06/2026
                day=DATES["introduction"],
            )
    message = str(refused.value)
    assert "ít nhất 12 tháng" in message
    assert "Quy định 294-QĐ/TW (26/5/2025)" in message and "mức tin cậy: chắc chắn" in message


# -- item 3: one regime by date, one fallback policy ----------------------------------------


def test_every_key_resolves_every_month_from_2016_to_today():
    """Every key × every month: the version found covers the day, or it is the nearest one,
    explained as applied by default — never an error, never today's version for an old day
    when an older one exists."""
    for key in rules.RULE_KEYS:
        versions = rules.central_versions(key)
        for day in months_from_2016():
            resolved = central(key, day)
            covered = resolved.effective_from <= day and (
                resolved.effective_to is None or day <= resolved.effective_to
            )
            assert covered != resolved.by_default, (key, day)
            if resolved.by_default:
                assert "chibo applies this one by default" in english(resolved), (key, day)
                started = [v for v in versions if v.effective_from <= day]
                expected = started[-1] if started else versions[0]
                assert resolved.effective_from == expected.effective_from, (key, day)


def test_on_1_june_2019_the_older_regimes_apply():
    """DOMAIN §0: 29-QĐ/TW (2016), 12-HD/BTCTW (2018), 342-QĐ/TW (2010) were in force."""
    on = D(2019, 6, 1)
    by_default = {key for key in rules.RULE_KEYS if central(key, on).by_default}
    # DOMAIN names no dated older regulation for these (e-handbook rules of 42-HD, the
    # 2021 guidance's badge rules, 296's appeal, the review frames before 21-HD of 10/2019).
    assert by_default == {
        "meeting.duration_reading",
        "meeting.combined_min_duration_minutes",
        "meeting.notice_days_before",
        "meeting.final_upload_days_after",
        "awareness_certificate.valid_months",
        "recognition.effective_date",
        "exemption.rating_excluded_min_months",
        "discipline.appeal_days",
        "discipline.authority",
        "badge.milestones_years",
        "badge.award_occasions",
        "badge.early_award_months",
        "review.rating_bands",
        "review.member_criteria_frame",
        "review.excellent_quota_percent_of_good",
        "visit.yearly_minimum",  # Kon Tum's QĐ 776-QĐ/TU of 16/1/2023
    }
    assert central("admission.introducer_min_months", on).regulation == (
        "Quy định 29-QĐ/TW (25/7/2016)"
    )
    assert central("meeting.min_duration_minutes", on).regulation == (
        "Hướng dẫn 12-HD/BTCTW (06/7/2018)"
    )
    assert central("dues.salary_percent", on).regulation == "Quy định 342-QĐ/TW (28/12/2010)"
    assert central("meeting.min_duration_minutes", D(2017, 6, 1)).regulation == (
        "Hướng dẫn 09-HD/BTCTW (02/3/2012)"
    )


def test_the_2021_regime_of_admission():
    """24-QĐ/TW (30/7/2021) until 294-QĐ/TW came into force on 1/7/2025; 12-HD/BTCTW
    (18/01/2022) §2.2 for the personal history; 124-QĐ/TW (4/10/2023) for the review."""
    assert central("admission.ceremony_deadline_working_days", D(2025, 6, 30)).regulation == (
        "Quy định 24-QĐ/TW (30/7/2021)"
    )
    assert central("admission.ceremony_deadline_working_days", D(2025, 7, 1)).regulation == (
        "Quy định 294-QĐ/TW (26/5/2025)"
    )
    assert central("review.rating_bands", D(2024, 12, 31)).regulation == (
        "Quy định 124-QĐ/TW (04/10/2023)"
    )
    assert central("removal.unexcused_months_per_year", D(2025, 6, 30)).regulation == (
        "Quy định 24-QĐ/TW (30/7/2021)"
    )


def test_before_every_version_the_earliest_applies_by_default():
    """The appeal period is known from 296-QĐ/TW (30/5/2025) only (R3.19: 30 days)."""
    resolved = central("discipline.appeal_days", D(2019, 6, 1))
    assert resolved.value == 30 and resolved.by_default
    assert english(resolved).endswith(
        "(in force from 30/05/2025; confidence: likely; no version chibo knows covers "
        "01/06/2019: chibo applies this one by default)"
    )


@pytest.mark.django_db
def test_a_2019_readmission_cites_the_2016_regulation_not_todays(world):
    """R3.11 under 29-QĐ/TW: the lifecycle lookup goes through the one policy."""
    rule = rule_for(
        "readmission.min_months_after_leaving", organization=world.khoi1, on=D(2019, 6, 1)
    )
    assert rule.regulation == "Quy định 29-QĐ/TW (25/7/2016)"
    assert not rule.by_default


@pytest.mark.django_db
def test_2025_dues_are_under_342_with_chibos_default_rate(world):
    """R3.29: 1% of salary under 01-QĐ/TW (3/2/2026); for 2025 months the rate is 342-QĐ/TW's,
    which chibo's sources do not give, so the explanation says it is chibo's default."""
    june = dues.rates_for_month(world.khoi1, D(2025, 6, 1))
    assert june.salary.regulation == "Quy định 342-QĐ/TW (28/12/2010)"
    assert june.salary.value == 1.0 and june.salary.confidence == rules.UNSURE
    assert "chibo's default" in english(june.salary)
    march = dues.rates_for_month(world.khoi1, D(2026, 3, 1))
    assert march.salary.regulation == "Quy định 01-QĐ/TW (03/02/2026)"


@pytest.mark.django_db
def test_probation_lists_use_the_same_policy(world):
    """R3.8: 12 months (Charter Art. 5.1); the bulk RuleBook resolves like rule_in_force."""
    book = probation.RuleBook([world.khoi1])
    rule = book.rule(probation.DEADLINE_KEY, world.khoi1, D(2019, 6, 1))
    assert rule.regulation == "Quy định 29-QĐ/TW (25/7/2016)" and rule.value == 30


@pytest.mark.django_db
def test_closing_a_2024_meeting_under_a_provincial_frame_scores_it(world):
    """A province's own frame from 2024 (R1.14); the 42-HD-only rules apply by default."""
    from chibo.meetings import services as meeting_services
    from chibo.meetings.models import ScoreLine
    from tests.meetings.factories import at, make_meeting, mark_all, open_meeting

    services_rules.rule_override_create(
        actor=None,
        organization=world.province,
        key="meeting.scoring_frame",
        value=AN_PHU_FRAME,
        regulation="Quyết định 27-QĐ/TU (30/10/2023)",
        clause="",
        effective_from=D(2024, 1, 1),
    )
    day = D(2024, 5, 7)
    meeting = make_meeting(world.khoi1, date=day)
    open_meeting(meeting, world.an, world.binh)
    mark_all(meeting)
    meeting_services.meeting_close(actor=world.an_user, meeting=meeting, ended_at=at(day, 21))
    lines = {line.code: line for line in ScoreLine.objects.filter(meeting=meeting)}
    assert lines["duration"].points == 5  # 90 minutes (12-HD/BTCTW, R1.8)
    assert "prep_materials" in lines


# -- item 7: readings DOMAIN leaves open are settings with their source ----------------------


def test_both_readings_of_the_meeting_duration_are_stored_with_their_source():
    """R1.9: [S44] ≥ 90 min < 30 members, ≥ 120 from 30; [S45] ≥ 90, 120 when combined."""
    options = {option.code: option for option in rules.READINGS["meeting.duration_reading"]}
    assert options[rules.DURATION_BY_CELL_SIZE].source == "R1.9 [S44]"
    assert options[rules.DURATION_COMBINED_THEMATIC].source == "R1.9 [S45]"
    selected = central("meeting.duration_reading", D(2026, 3, 1))
    assert selected.value == rules.DURATION_BY_CELL_SIZE
    assert selected.regulation == "Hướng dẫn 42-HD/BTCTW (28/10/2025)"
    assert selected.confidence == rules.UNSURE
    bands = central("meeting.min_duration_minutes", D(2026, 3, 1)).value
    assert bands == [{"members_from": 0, "minutes": 90}, {"members_from": 30, "minutes": 120}]
    assert central("meeting.combined_min_duration_minutes", D(2026, 3, 1)).value == 120


@pytest.mark.django_db
def test_a_committee_may_select_only_a_known_reading(world):
    selected = services_rules.rule_override_create(
        actor=None,
        organization=world.province,
        key="meeting.duration_reading",
        value=rules.DURATION_COMBINED_THEMATIC,
        regulation="Quyết định 27-QĐ/TU (30/10/2023)",
        clause="",
        effective_from=D(2026, 1, 1),
    )
    assert selected.value == rules.DURATION_COMBINED_THEMATIC
    with pytest.raises(ServiceError, match="by_cell_size, combined_thematic"):
        services_rules.rule_override_create(
            actor=None,
            organization=world.province,
            key="meeting.duration_reading",
            value="longest",
            regulation="Quyết định 27-QĐ/TU (30/10/2023)",
            clause="",
            effective_from=D(2027, 1, 1),
        )


@pytest.mark.django_db
def test_under_the_reading_by_kind_a_combined_meeting_needs_120_minutes(world):
    """R1.9 [S45]: 90 minutes; 120 when a regular meeting is combined with a thematic one."""
    from chibo.meetings import services as meeting_services
    from chibo.meetings.models import ScoreLine
    from tests.meetings.factories import MEETING_DAY, at, make_meeting, mark_all, open_meeting

    services_rules.rule_override_create(
        actor=None,
        organization=world.province,
        key="meeting.duration_reading",
        value=rules.DURATION_COMBINED_THEMATIC,
        regulation="Quyết định 27-QĐ/TU (30/10/2023)",
        clause="",
        effective_from=D(2026, 1, 1),
    )
    meeting = make_meeting(world.khoi1, with_thematic_part=True, topic="Học tập Chỉ thị 05")
    open_meeting(meeting, world.an, world.binh)
    mark_all(meeting)
    meeting_services.meeting_close(
        actor=world.an_user, meeting=meeting, ended_at=at(MEETING_DAY, 21)
    )
    line = ScoreLine.objects.get(meeting=meeting, code="duration")
    assert line.points == 3  # 90 minutes, 30 short of 120 (R1.17 criterion 1)
    assert "cần 120 phút" in line.evidence


def test_the_date_of_recognition_is_a_setting_defaulting_to_the_end_of_probation():
    """R3.9 and DOMAIN §9a: the end of the 12 months by default, likely; the decision date is
    the other option."""
    options = [option.code for option in rules.READINGS["recognition.effective_date"]]
    assert options == [rules.RECOGNITION_AT_PROBATION_END, rules.RECOGNITION_AT_DECISION]
    setting = central("recognition.effective_date", D(2026, 3, 19))
    assert setting.value == rules.RECOGNITION_AT_PROBATION_END
    assert setting.confidence == rules.LIKELY
    assert setting.regulation == "Hướng dẫn 01-HD/TW (28/9/2021)"


@pytest.mark.django_db
def test_recognition_dates_from_the_end_of_probation_or_the_decision(world):
    """Probation of 12 months from 19/03/2025 ends 19/03/2026 (Charter Art. 5.1)."""
    dates = probation.probation_dates(ceremony_date=D(2025, 3, 19), organization=world.khoi1)
    day, _rule = probation.recognition_effective_date(
        end=dates.end, decision_date=D(2026, 4, 9), organization=world.khoi1
    )
    assert day == D(2026, 3, 19)
    services_rules.rule_override_create(
        actor=None,
        organization=world.ward,
        key="recognition.effective_date",
        value=rules.RECOGNITION_AT_DECISION,
        regulation="Nghị quyết của Đảng ủy phường",
        clause="",
        effective_from=D(2026, 1, 1),
    )
    day, rule = probation.recognition_effective_date(
        end=dates.end, decision_date=D(2026, 4, 9), organization=world.khoi1
    )
    assert day == D(2026, 4, 9) and rule.source == world.ward.name


@pytest.mark.django_db
def test_the_review_page_of_an_exempted_member_cites_the_exclusion_rule(world, client):
    """R3.17: exempted members are not rated; the 6 months are chibo's default."""
    from django.urls import reverse

    from chibo.members import services as member_services

    member_services.member_change_status(
        actor=None,
        member=world.binh,
        status="exempted",
        effective_date=D(2026, 3, 1),
        reason="Tuổi cao, sức yếu",
    )
    client.force_login(world.an_user)
    page = client.get(reverse("reviews:member", args=[world.binh.pk]), {"year": "2026"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "6 tháng — Quy định 294-QĐ/TW (26/5/2025)" in body
    assert "mức tin cậy: chưa chắc; giá trị mặc định của chibo" in body


@pytest.mark.django_db
def test_the_discipline_form_cites_the_appeal_period(world, client):
    """R3.19: appeals within 30 days (296-QĐ/TW, 30/5/2025), likely."""
    from django.urls import reverse

    client.force_login(world.an_user)
    body = client.get(reverse("reviews:discipline_new", args=[world.binh.pk])).content.decode()
    assert "30 ngày — Quy định 296-QĐ/TW (30/5/2025)" in body
    assert "mức tin cậy: khả năng cao" in body


@pytest.mark.django_db
def test_the_probation_page_shows_the_recognition_date_setting(world, client):
    """R3.9, DOMAIN §9a: the page says which date recognition takes, and how sure that is."""
    from django.urls import reverse

    client.force_login(world.an_user)
    body = client.get(reverse("lifecycle:probation", args=[world.khoi1.pk])).content.decode()
    assert (
        "Ngày đảng viên được công nhận trở thành đảng viên chính thức: ngày hết thời gian" in body
    )
    assert "Hướng dẫn 01-HD/TW (28/9/2021)" in body or "Quy định 208-QĐ/TW (26/7/2026)" in body


def test_an_older_version_domain_is_silent_on_keeps_the_later_value_and_says_so():
    """Where DOMAIN.md gives the number only for a later regulation, the older version keeps
    it, is unsure, is chibo's default and says so (never an invented number)."""
    from chibo.core.rule_data import SILENT_NOTE

    silent = 0
    for key in rules.RULE_KEYS:
        versions = rules.central_versions(key)
        for older, later in zip(versions, versions[1:], strict=False):
            if older.note is SILENT_NOTE:
                silent += 1
                assert older.value == later.value, key
                assert older.confidence == rules.UNSURE and older.basis == rules.CHIBO, key
    assert silent >= 20


@pytest.mark.django_db
def test_the_candidate_page_cites_the_age_and_certificate_rules(world, client):
    """R3.1: 18 to 60 years (294-QĐ/TW Điều 1, sure); R3.4: certificate valid 60 months
    (06-HD/TW điểm 5.4, likely)."""
    from django.urls import reverse

    from tests.lifecycle.test_admission import TODAY, _candidate

    with time_machine.travel(TODAY, tick=False):
        candidate = _candidate(world, birth=D(1960, 1, 10))  # over 60 on 23/11/2026
        client.force_login(world.an_user)
        body = client.get(reverse("lifecycle:candidate", args=[candidate.pk])).content.decode()
    assert "60 tuổi — Quy định 294-QĐ/TW (26/5/2025), Điều 1" in body
    assert "60 tháng — Hướng dẫn 06-HD/TW (09/6/2025), Điểm 5.4" in body
    assert "mức tin cậy: khả năng cao" in body
