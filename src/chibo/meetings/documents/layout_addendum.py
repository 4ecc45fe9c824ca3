"""The layout of an addendum: a signed correction of signed minutes (the original stays
unchanged), drawn with the minutes' letterhead and signature block (meetings.documents.layout).
Called inside translation.override("vi") like the minutes' layout."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from chibo.core.exports.layout import Closing, Document, labelled, lines, paragraph, short_date
from chibo.meetings.documents.data import AddendumData
from chibo.meetings.documents.layout import (
    _date,
    _document,
    _letterhead,
    _minutes_signers,
    meeting_phrase,
)


def addendum_label(data: AddendumData) -> str:
    return _("Addendum %(number)s to the minutes of %(date)s") % {
        "number": data.number,
        "date": short_date(_date(data.meeting.date)),
    }


def addendum(data: AddendumData, *, fingerprint: str = "") -> Document:
    """A signed correction of signed minutes; the original stays unchanged."""
    meeting = data.meeting
    day = _date(data.date)
    blocks: list = [
        _letterhead(meeting, day=day, numbered=False),
        paragraph(_("ADDENDUM TO THE MINUTES"), "type", bold=True),
        paragraph(
            _("Correcting the minutes of the meeting of %(date)s (addendum %(number)s)")
            % {"date": short_date(_date(meeting.date)), "number": data.number},
            "subject",
            bold=True,
        ),
        paragraph("", "rule"),
    ]
    if data.original_fingerprint:
        signed = (
            short_date(datetime.datetime.fromisoformat(data.original_signed_at).date())
            if data.original_signed_at
            else "…"
        )
        blocks.append(
            paragraph(
                _(
                    "The minutes of %(meeting)s of %(date)s were signed on %(signed)s with the "
                    "fingerprint (SHA-256) %(fingerprint)s. They stay unchanged; this addendum "
                    "corrects them as follows."
                )
                % {
                    "meeting": meeting_phrase(meeting),
                    "date": short_date(_date(meeting.date)),
                    "signed": signed,
                    "fingerprint": data.original_fingerprint,
                }
            )
        )
    blocks.append(labelled(_("Reason:"), data.reason, "body"))
    blocks.append(paragraph(_("Correction:"), "body", bold=True))
    blocks.extend(lines(data.text))
    blocks.append(
        Closing(signers=_minutes_signers(data.signature_of, meeting.chair, meeting.minute_taker))
    )
    return _document(
        "addendum",
        addendum_label(data),
        day,
        blocks,
        fingerprint,
        f"addendum-{meeting.meeting_id}-{data.number}",
    )
