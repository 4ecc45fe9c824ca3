"""The iCalendar feed of a visitor's calendar (RFC 5545, library `icalendar`), for a phone's
calendar subscribed to the secret address. It holds only what a lost phone may show: date,
time, place, the cell's name and the kind of meeting — no member's name or personal data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from icalendar import Calendar, Event

PRODID = "-//chibo//Lich sinh hoat chi bo//VI"


def feed_bytes(events: Iterable[dict[str, Any]], *, name: str, base_url: str = "") -> bytes:
    """The calendar of `events` (dicts of supervision.selectors_visits) as .ics bytes."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for item in events:
        event = Event()
        event.add("uid", item["uid"])
        event.add("dtstamp", stamp)
        event.add("dtstart", item["start"])
        event.add("dtend", item["end"])
        event.add("summary", item["title"])
        if item.get("place"):
            event.add("location", item["place"])
        if base_url and item.get("url"):
            event.add("url", base_url + item["url"])
        calendar.add_component(event)
    return calendar.to_ical()
