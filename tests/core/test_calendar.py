"""The working-day calendar (Labour Code 2019, Art. 112) and its database overrides."""

import datetime

import pytest
from django.utils import translation

from chibo.core import calendar
from chibo.core.models import CalendarDay, LunarNewYear

D = datetime.date


@pytest.mark.django_db
class TestAdmissionDeadlineAcrossTet:
    # A decision received on Tuesday 20/1/2026: the ceremony is due within 30 working days
    # (294-QĐ/TW, điểm 5.4). Tết 2026 starts on 17/2, so 16/2-20/2 are off by default.

    def test_thirty_working_days_skip_the_default_tet_period(self):
        assert calendar.add_working_days(D(2026, 1, 20), 30) == D(2026, 3, 10)

    def test_the_count_back_gives_thirty(self):
        assert calendar.working_days_between(D(2026, 1, 20), D(2026, 3, 10)) == 30

    def test_a_longer_announced_tet_moves_the_deadline(self):
        # A hypothetical announcement of 12/2-22/2: Thursday 12 and Friday 13 are off as well.
        LunarNewYear.objects.create(
            year=2026, first_day_off=D(2026, 2, 12), last_day_off=D(2026, 2, 22)
        )
        assert calendar.add_working_days(D(2026, 1, 20), 30) == D(2026, 3, 12)

    def test_the_announced_nine_days_change_nothing_when_the_extra_days_are_weekends(self):
        # The real 2026 announcement: Saturday 14/2 to Sunday 22/2.
        LunarNewYear.objects.create(
            year=2026, first_day_off=D(2026, 2, 14), last_day_off=D(2026, 2, 22)
        )
        assert calendar.add_working_days(D(2026, 1, 20), 30) == D(2026, 3, 10)

    def test_a_make_up_saturday_counts_as_a_working_day(self):
        CalendarDay.objects.create(
            date=D(2026, 3, 7), is_working_day=True, name="Làm bù cho ngày nghỉ Tết"
        )
        assert calendar.is_working_day(D(2026, 3, 7))
        assert calendar.add_working_days(D(2026, 1, 20), 30) == D(2026, 3, 9)

    def test_an_extra_day_off_from_the_database(self):
        CalendarDay.objects.create(date=D(2026, 3, 4), is_working_day=False, name="Nghỉ bù")
        assert not calendar.is_working_day(D(2026, 3, 4))
        assert calendar.add_working_days(D(2026, 1, 20), 30) == D(2026, 3, 11)

    def test_two_queries_whatever_the_length(self, django_assert_num_queries):
        with django_assert_num_queries(2):
            calendar.add_working_days(D(2026, 1, 20), 60)


@pytest.mark.django_db
class TestHolidays:
    def test_default_tet_is_the_eve_and_days_one_to_four(self):
        off = [day for day in calendar.holidays(2026) if D(2026, 2, 1) <= day[0] <= D(2026, 2, 28)]
        assert [day for day, _name in off] == [D(2026, 2, d) for d in (16, 17, 18, 19, 20)]

    def test_a_lunar_new_year_row_replaces_the_default_period(self):
        LunarNewYear.objects.create(
            year=2026, first_day_off=D(2026, 2, 14), last_day_off=D(2026, 2, 22)
        )
        off = [day for day, _name in calendar.holidays(2026) if day.month == 2]
        assert off == [D(2026, 2, d) for d in range(14, 23)]

    def test_tet_days_on_a_weekend_give_compensatory_days_after_the_break(self):
        # Tết 2027 starts on Saturday 6/2: Saturday and Sunday are made up on 10/2 and 11/2.
        assert not calendar.is_working_day(D(2027, 2, 10))
        assert not calendar.is_working_day(D(2027, 2, 11))
        assert calendar.is_working_day(D(2027, 2, 12))

    def test_national_day_on_a_saturday(self):
        # 2/9/2023 was a Saturday: 1/9 (Friday) is the adjacent day, Monday 4/9 makes up 2/9.
        assert not calendar.is_working_day(D(2023, 9, 1))
        assert not calendar.is_working_day(D(2023, 9, 4))
        assert calendar.is_working_day(D(2023, 9, 5))
        assert calendar.working_days_between(D(2023, 8, 31), D(2023, 9, 5)) == 1

    def test_national_day_on_a_sunday(self):
        # 2/9/2029 is a Sunday: the adjacent day is Monday 3/9 and Tuesday 4/9 makes up 2/9.
        assert not calendar.is_working_day(D(2029, 9, 3))
        assert not calendar.is_working_day(D(2029, 9, 4))
        assert calendar.is_working_day(D(2029, 9, 5))

    def test_national_day_adjacent_day_follows_government_practice(self):
        assert not calendar.is_working_day(D(2021, 9, 3))  # Thursday 2/9 → Friday 3/9
        assert not calendar.is_working_day(D(2024, 9, 3))  # Monday 2/9 → Tuesday 3/9
        assert not calendar.is_working_day(D(2025, 9, 1))  # Tuesday 2/9 → Monday 1/9
        assert calendar.is_working_day(D(2025, 9, 3))

    def test_national_day_was_one_day_before_the_2019_labour_code(self):
        # 2/9/2020 was a Wednesday; the Labour Code 2012 gave that day only.
        assert calendar.is_working_day(D(2020, 9, 1))
        assert not calendar.is_working_day(D(2020, 9, 2))
        assert calendar.is_working_day(D(2020, 9, 3))

    def test_several_weekend_holidays_each_take_the_next_free_day(self):
        # 2023: Hùng Kings' day on Saturday 29/4, 30/4 on Sunday, 1/5 on Monday → off to 3/5.
        for day in range(29, 31):
            assert not calendar.is_working_day(D(2023, 4, day))
        for day in range(1, 4):
            assert not calendar.is_working_day(D(2023, 5, day))
        assert calendar.is_working_day(D(2023, 5, 4))

    def test_hung_kings_day_table(self):
        assert calendar.HUNG_KINGS_DAY[2025] == D(2025, 4, 7)
        assert calendar.HUNG_KINGS_DAY[2026] == D(2026, 4, 26)
        # 26/4/2026 is a Sunday.
        assert not calendar.is_working_day(D(2026, 4, 27))

    def test_tet_table(self):
        assert calendar.TET_FIRST_DAY[2025] == D(2025, 1, 29)
        assert calendar.TET_FIRST_DAY[2026] == D(2026, 2, 17)
        assert calendar.TET_FIRST_DAY[2027] == D(2027, 2, 6)
        assert calendar.TET_FIRST_DAY[2030] == D(2030, 2, 2)  # not 3/2 as in China
        assert set(calendar.TET_FIRST_DAY) == set(range(2015, 2041))
        assert set(calendar.HUNG_KINGS_DAY) == set(range(2015, 2041))

    def test_holidays_have_names_in_date_order(self):
        with translation.override("en"):
            listed = calendar.holidays(2026)
        assert listed == sorted(listed)
        assert (D(2026, 1, 1), "New Year's Day") in listed
        assert (D(2026, 4, 27), "Compensatory day off for Hùng Kings' Commemoration Day") in listed

    def test_a_working_calendar_day_is_not_listed_as_a_holiday(self):
        CalendarDay.objects.create(date=D(2026, 9, 1), is_working_day=True, name="Đổi ngày")
        CalendarDay.objects.create(date=D(2026, 9, 3), is_working_day=False, name="Nghỉ 3/9")
        listed = dict(calendar.holidays(2026))
        assert D(2026, 9, 1) not in listed
        assert listed[D(2026, 9, 3)] == "Nghỉ 3/9"


@pytest.mark.django_db
class TestCounting:
    def test_zero_working_days_is_the_start_itself(self):
        assert calendar.add_working_days(D(2026, 2, 17), 0) == D(2026, 2, 17)
        assert calendar.add_working_days(D(2026, 3, 2), 0) == D(2026, 3, 2)

    def test_weekends_are_not_working_days(self):
        assert not calendar.is_working_day(D(2026, 3, 7))
        assert not calendar.is_working_day(D(2026, 3, 8))
        assert calendar.add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)

    def test_negative_counts_are_refused(self):
        with pytest.raises(ValueError):
            calendar.add_working_days(D(2026, 3, 6), -1)

    def test_between_is_negative_backwards_and_zero_on_the_same_day(self):
        assert calendar.working_days_between(D(2026, 3, 10), D(2026, 1, 20)) == -30
        assert calendar.working_days_between(D(2026, 3, 10), D(2026, 3, 10)) == 0

    def test_counting_across_the_new_year(self):
        # 31/12/2026 is a Thursday; 1/1/2027 (Friday) is off.
        assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)

    def test_a_year_without_lunar_dates_is_refused(self):
        with pytest.raises(calendar.CalendarYearUnknown):
            calendar.is_working_day(D(2041, 3, 1))

    def test_a_lunar_new_year_row_lets_a_later_year_be_used(self):
        LunarNewYear.objects.create(
            year=2041, first_day_off=D(2041, 1, 30), last_day_off=D(2041, 2, 5)
        )
        assert not calendar.is_working_day(D(2041, 2, 4))
        assert calendar.is_working_day(D(2041, 3, 1))

    def test_a_loaded_calendar_answers_without_queries(self, django_assert_num_queries):
        loaded = calendar.WorkingCalendar.load(2026, 2027)
        with django_assert_num_queries(0):
            assert loaded.add_working_days(D(2026, 1, 20), 30) == D(2026, 3, 10)
            assert not loaded.is_working_day(D(2027, 2, 10))
