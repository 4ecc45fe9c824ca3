"""The printable notice that goes with a resolution sent outward (issue 10, field report 002):
the letterhead of the resolution, "Kính gửi: <recipient>", a short body saying the cell sends
its resolution of the meeting for the recipient to carry out and watch over, the extract for
the public if that is what was sent, and the signature of the cell's secretary. Rendered on
request from the signed (frozen) content; nothing is stored."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from chibo.core.exports import pdf as pdf_render
from chibo.core.exports.layout import (
    Closing,
    Document,
    Signer,
    labelled,
    lines,
    paragraph,
    short_date,
)
from chibo.meetings.documents.data import DOCUMENT_LANGUAGE, DocumentData, document_data
from chibo.meetings.documents.layout import (
    _date,
    _letterhead,
    document_code,
    meeting_phrase,
    resolution_subject,
)
from chibo.meetings.models import (
    Meeting,
    MeetingRecord,
    RecipientContent,
    ResolutionRecipient,
    SignatureAuthority,
)


def notice_data(meeting: Meeting) -> DocumentData:
    """What the resolution says as signed (its frozen content), or as it stands."""
    record = MeetingRecord.objects.filter(meeting_id=meeting.pk).first()
    if record is not None and record.frozen_content:
        return DocumentData.from_json(record.frozen_content)
    return document_data(meeting)


def notice(data: DocumentData, recipient: ResolutionRecipient, secretary: str) -> Document:
    meeting_day = _date(data.date)
    day = recipient.sent_on
    is_conclusion = data.record.resolution_kind == "conclusion"
    sent = (_("conclusion No. %(code)s") if is_conclusion else _("resolution No. %(code)s")) % {
        "code": document_code(data).strip()
    }
    blocks: list = [
        _letterhead(data, day=day, numbered=True),
        paragraph(_("NOTICE"), "type", bold=True),
        paragraph(
            _("Sending the %(document)s to carry out and watch over") % {"document": sent},
            "subject",
            bold=True,
        ),
        paragraph("", "rule"),
        labelled(_("To:"), recipient.name, "body"),
        paragraph(
            _('On %(date)s, %(cell)s held %(meeting)s and adopted its %(document)s "%(subject)s".')
            % {
                "date": short_date(meeting_day),
                "cell": data.cell_name,
                "meeting": meeting_phrase(data),
                "document": sent,
                "subject": resolution_subject(data),
            }
        ),
    ]
    if recipient.content == RecipientContent.EXTRACT:
        blocks.append(
            paragraph(
                _(
                    "The cell sends you the extract of it meant for the public below, for you "
                    "to carry it out and to watch over its implementation:"
                )
            )
        )
        blocks.extend(lines(recipient.extract))
    else:
        blocks.append(
            paragraph(
                _(
                    "The cell sends you the resolution, for you to carry it out and to watch "
                    "over its implementation among the people of the area."
                )
            )
        )
    blocks.append(
        paragraph(
            _("Please acknowledge receipt and tell the cell of the results and of any concern.")
        )
    )
    on_behalf = (
        _("ON BEHALF OF THE CELL COMMITTEE")
        if data.signature_authority == SignatureAuthority.CELL_COMMITTEE
        else _("ON BEHALF OF THE CELL")
    )
    blocks.append(
        Closing(
            signers=[Signer([on_behalf, _("SECRETARY")], secretary)],
            recipients=[
                _("- As above,"),
                _("- Cell file."),
            ],
            recipients_label=_("Recipients:"),
        )
    )
    return Document(
        kind="notice",
        label=_("Notice to %(name)s") % {"name": recipient.name},
        date=day,
        blocks=blocks,
        fingerprint="",
        footer_lines=[],
        anchor=f"notice-{recipient.pk}",
    )


def render_notice_pdf(meeting: Meeting, recipient: ResolutionRecipient, secretary: str) -> bytes:
    data = notice_data(meeting)
    with translation.override(DOCUMENT_LANGUAGE):
        return pdf_render.pdf([notice(data, recipient, secretary)])
