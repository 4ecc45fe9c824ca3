from django import template

from chibo.meetings.models import MeetingRating
from chibo.reviews.models import LEVEL_SHORT, Level

register = template.Library()


@register.filter
def short(level: str) -> str:
    """HTXSNV / HTTNV / HTNV / KHTNV for a level code."""
    if not level:
        return ""
    return LEVEL_SHORT[Level(level)]


@register.filter
def percent(value) -> str:
    """A share (0..1) as "12,5%"; "—" when there is none."""
    if value is None:
        return "—"
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


@register.filter
def step_count(page, step: str) -> int:
    """How many reviews of the cell page are at `step`."""
    return page.count(step)


@register.filter
def meeting_rating(code: str) -> str:
    return str(MeetingRating(code).label) if code in MeetingRating.values else code
