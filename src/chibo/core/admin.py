"""Django's admin holds only the calendar tables an administrator edits directly. Everything
audited (organizations, members, positions, rules) changes through chibo's own pages."""

from django.contrib import admin

from chibo.core.models import CalendarDay, LunarNewYear


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working_day", "name")
    list_filter = ("is_working_day",)


@admin.register(LunarNewYear)
class LunarNewYearAdmin(admin.ModelAdmin):
    list_display = ("year", "first_day_off", "last_day_off")
