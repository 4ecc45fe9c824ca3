"""The wording and structure of a meeting's official documents: from DocumentData to the blocks
of the core export kit (chibo.core.exports.layout), which its two renderers draw as PDF and DOCX.

Layout of Party documents (36-HD/VPTW 2018, DOMAIN §5.3): the letterhead in two columns (upper
committee and issuing cell with an asterisk and the number on the left; "ĐẢNG CỘNG SẢN VIỆT NAM"
underlined and the italic place-and-date line on the right), the type of document, the subject
line with a short rule, the body, then recipients and the signature block. Minutes follow the
required fields of DOMAIN §1.7; the resolution follows the structure of R5.12.

Called inside translation.override("vi") (documents.render_*): every sentence is a gettext msgid.
The data comes in as arguments: this module never imports meetings.documents at run time."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from chibo.core.exports.layout import (
    Closing,
    Column,
    Document,
    Letterhead,
    Paragraph,
    Run,
    Sections,
    Signer,
    Table,
    clock,
    day_month_year,
    labelled,
    lines,
    number,
    paragraph,
    percent,
    short_date,
)
from chibo.meetings.documents.data import ISSUER_CODE, DocumentData, SignatureEntry
from chibo.meetings.models import (
    DOCUMENT_TYPE_CODES,
    CommendationKind,
    MeetingKind,
    MeetingRating,
    SignatureAuthority,
    SignerRole,
    VoteSubject,
)
from chibo.orgs.models import Role


def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _comrade(name: str) -> str:
    return _("comrade %(name)s") % {"name": name}


# -- shared pieces --------------------------------------------------------------------------


def _month_year(data: DocumentData) -> tuple[int, int]:
    day = _date(data.period) if data.period else _date(data.date)
    return day.month, day.year


def _next_month(data: DocumentData) -> tuple[int, int]:
    month, year = _month_year(data)
    return (1, year + 1) if month == 12 else (month + 1, year)


def meeting_title(data: DocumentData) -> str:
    """The minutes' title after "BIÊN BẢN", in capitals: "SINH HOẠT CHI BỘ (ĐỊNH KỲ) THÁNG 11
    NĂM 2026" (DOMAIN §1.7), varied for the kind of meeting."""
    month, year = _month_year(data)
    values = {"month": month, "year": year}
    if data.kind == MeetingKind.REGULAR and data.with_thematic_part:
        text = _("CELL MEETING (REGULAR, WITH A THEMATIC PART) OF MONTH %(month)s YEAR %(year)s")
    elif data.kind == MeetingKind.REGULAR:
        text = _("CELL MEETING (REGULAR) OF MONTH %(month)s YEAR %(year)s")
    elif data.kind == MeetingKind.THEMATIC:
        text = _("THEMATIC CELL MEETING OF MONTH %(month)s YEAR %(year)s")
    elif data.kind == MeetingKind.COMMITTEE:
        text = _("CELL COMMITTEE MEETING OF MONTH %(month)s YEAR %(year)s")
    elif data.kind == MeetingKind.CONFERENCE:
        text = _("CELL CONFERENCE")
    else:
        text = _("EXTRAORDINARY CELL MEETING")
    return text % values


def meeting_phrase(data: DocumentData) -> str:
    """The same in running text: "sinh hoạt định kỳ tháng 11 năm 2026"."""
    month, year = _month_year(data)
    values = {"month": month, "year": year}
    if data.kind == MeetingKind.REGULAR and data.with_thematic_part:
        text = _(
            "the regular meeting combined with the thematic meeting of month %(month)s year "
            "%(year)s"
        )
    elif data.kind == MeetingKind.REGULAR:
        text = _("the regular meeting of month %(month)s year %(year)s")
    elif data.kind == MeetingKind.THEMATIC:
        text = _("the thematic meeting of month %(month)s year %(year)s")
    elif data.kind == MeetingKind.COMMITTEE:
        text = _("the cell committee meeting of month %(month)s year %(year)s")
    elif data.kind == MeetingKind.CONFERENCE:
        text = _("the cell conference")
    else:
        text = _("an extraordinary meeting")
    return text % values


def _topic_line(data: DocumentData) -> Paragraph | None:
    if not data.topic:
        return None
    if data.kind == MeetingKind.THEMATIC or data.with_thematic_part:
        text = _("Topic: %(topic)s") % {"topic": data.topic}
    else:
        text = _("Subject: %(topic)s") % {"topic": data.topic}
    return paragraph(text, "subject", bold=True)


def document_code(data: DocumentData) -> str:
    """ "05-NQ/CB": the number zero-padded to two digits, the type code, the issuer code
    (36-HD/VPTW; numbered from 01 per type within the committee term, R5.9). Blank number
    while the meeting is not closed."""
    code = DOCUMENT_TYPE_CODES.get(data.record.resolution_kind, "NQ")
    number = f"{data.record.resolution_number:02d}" if data.record.resolution_number else "    "
    return f"{number}-{code}/{ISSUER_CODE}"


def document_number(data: DocumentData) -> str:
    """ "Số 05-NQ/CB"."""
    return _("No. %(code)s") % {"code": document_code(data)}


def _letterhead(data: DocumentData, *, day: datetime.date, numbered: bool) -> Letterhead:
    return Letterhead(
        upper=data.upper_name.upper(),
        issuer=data.cell_name.upper(),
        number=document_number(data) if numbered else "",
        party=_("COMMUNIST PARTY OF VIETNAM"),
        place_date=_("%(place)s, %(date)s") % {"place": data.locality, "date": day_month_year(day)},
    )


def _signed_note(signature: SignatureEntry | None) -> str:
    if signature is None or not signature.signed_at:
        return ""
    moment = datetime.datetime.fromisoformat(signature.signed_at)
    return _("(Signed electronically at %(time)s on %(date)s)") % {
        "time": moment.strftime("%H:%M"),
        "date": short_date(moment.date()),
    }


def _speech(speech) -> Paragraph:
    """ "+ Đồng chí …: summary" under an agenda item."""
    runs = [Run(_("Comrade %(name)s:") % {"name": speech.speaker}, bold=True)]
    return Paragraph([*runs, Run(" " + speech.summary)], style="subitem")


def _signer_note(signature: SignatureEntry | None) -> str:
    """When signed, and for an addendum signed by the secretary for a signer who has left the
    cell, whom it was signed for."""
    note = _signed_note(signature)
    in_place_of = getattr(signature, "in_place_of", "")
    if in_place_of:
        note = (
            _("(Signed in place of comrade %(name)s, who has left the cell)")
            % {"name": in_place_of}
            + " "
            + note
        ).strip()
    return note


def _minutes_signers(signatures_of, chair: str, minute_taker: str) -> list[Signer]:
    """The minute-taker on the left, the chair on the right; a signature names who signed."""
    taker_signature = signatures_of(SignerRole.MINUTE_TAKER)
    chair_signature = signatures_of(SignerRole.CHAIR)
    return [
        Signer(
            [_("MINUTE-TAKER")],
            taker_signature.name if taker_signature else minute_taker,
            _signer_note(taker_signature),
        ),
        Signer(
            [_("CHAIR")],
            chair_signature.name if chair_signature else chair,
            _signer_note(chair_signature),
        ),
    ]


def _footer(fingerprint: str) -> list[str]:
    if not fingerprint:
        return [_("Draft — not signed; not valid as a record.")]
    # The configured public address (settings.CHIBO_PUBLIC_URL), never the signer's request.
    url = settings.CHIBO_PUBLIC_URL.rstrip("/") + reverse("meetings:verify")
    return [
        _("Fingerprint (SHA-256): %(fingerprint)s") % {"fingerprint": fingerprint},
        _("Check a copy at %(url)s") % {"url": url},
    ]


def _document(kind, label, day, blocks, fingerprint, anchor) -> Document:
    return Document(
        kind=kind,
        label=label,
        date=day,
        blocks=blocks,
        fingerprint=fingerprint,
        footer_lines=_footer(fingerprint),
        draft_label="" if fingerprint else _("DRAFT"),
        anchor=anchor,
    )


def _absent_names(people) -> str:
    parts = []
    for person in people:
        if person.reason:
            parts.append(
                _("%(name)s (%(reason)s)") % {"name": person.name, "reason": person.reason}
            )
        else:
            parts.append(person.name)
    return "; ".join(parts)


def _roll_call_blocks(data: DocumentData) -> list[Paragraph]:
    roll = data.roll_call
    blocks = [
        labelled(
            _("Members of the cell:"),
            _(
                "%(total)s (official: %(official)s; probationary: %(probationary)s; "
                "temporarily attached: %(attached)s)."
            )
            % {
                "total": roll.total,
                "official": roll.official,
                "probationary": roll.probationary,
                "attached": roll.temporarily_attached,
            },
        ),
        labelled(
            _("Exempted from party work and meetings:"),
            _("%(count)s members.") % {"count": roll.exempted},
        ),
    ]
    if roll.suspended:
        blocks.append(
            labelled(
                _("Suspended from party activity:"),
                _("%(count)s members.") % {"count": roll.suspended},
            )
        )
    present = _(
        "%(present)s (official: %(official)s; probationary: %(probationary)s; temporarily "
        "attached: %(attached)s)."
    ) % {
        "present": roll.present,
        "official": roll.present_official,
        "probationary": roll.present_probationary,
        "attached": roll.present_temporarily_attached,
    }
    if roll.present_exempted:
        present += " " + _("Members exempted from activity who attended: %(count)s.") % {
            "count": roll.present_exempted
        }
    if roll.late:
        present += " " + _("Of them, %(count)s arrived late.") % {"count": roll.late}
    blocks.append(labelled(_("Present:"), present))
    blocks.append(labelled(_("Absent:"), _("%(count)s members.") % {"count": roll.absent}))
    if roll.absent_excused:
        blocks.append(
            labelled(
                _("Absent with reason:"),
                _("%(count)s members: %(names)s.")
                % {"count": len(roll.absent_excused), "names": _absent_names(roll.absent_excused)},
                "subitem",
            )
        )
    if roll.absent_unexcused:
        blocks.append(
            labelled(
                _("Absent without reason:"),
                _("%(count)s members: %(names)s.")
                % {
                    "count": len(roll.absent_unexcused),
                    "names": _absent_names(roll.absent_unexcused),
                },
                "subitem",
            )
        )
    if roll.not_called:
        blocks.append(
            labelled(_("Not yet called:"), _("%(count)s members.") % {"count": roll.not_called})
        )
    if roll.denominator:
        blocks.append(
            labelled(
                _("Attendance:"),
                _("%(present)s/%(expected)s members expected (%(rate)s%%).")
                % {
                    "present": roll.present,
                    "expected": roll.denominator,
                    "rate": number(roll.rate or 0),
                },
            )
        )
    return blocks


def vote_line(vote) -> str:
    """ "8/9 đảng viên chính thức tán thành (88,9%)" — the share is of the eligible official
    members (DOMAIN R2.3), the denominator recorded with the vote."""
    return _("%(in_favour)s/%(eligible)s official members in favour (%(percent)s%%)") % {
        "in_favour": vote.in_favour,
        "eligible": vote.eligible,
        "percent": percent(vote.in_favour, vote.eligible),
    }


def _vote_blocks(data: DocumentData) -> list[Paragraph]:
    blocks: list[Paragraph] = []
    for vote in data.votes:
        title = vote.title
        if vote.subject_member and vote.subject_member not in title:
            title = _("%(title)s (%(name)s)") % {
                "title": title,
                "name": vote.subject_member,
            }
        blocks.append(
            Paragraph(
                [
                    Run(title + ": ", bold=True),
                    Run(
                        _("%(line)s; against: %(against)s; abstaining: %(abstain)s.")
                        % {
                            "line": vote_line(vote),
                            "against": vote.against,
                            "abstain": vote.abstain,
                        }
                    ),
                    Run(" "),
                    Run(
                        _("Result: adopted.") if vote.adopted else _("Result: not adopted."),
                        bold=True,
                    ),
                ],
                style="item",
            )
        )
        blocks.append(paragraph(vote.explanation, "note", italic=True))
    return blocks


def _rating_label(code: str) -> str:
    try:
        return str(MeetingRating(code).label)
    except ValueError:
        return code


def _score_table(data: DocumentData) -> Table:
    score = data.score
    assert score is not None
    return Table(
        columns=[
            Column(_("No."), 8, "center"),
            Column(_("Criterion"), 62),
            Column(_("Maximum"), 15, "center"),
            Column(_("Points"), 15, "center"),
        ],
        rows=[
            [
                str(index),
                line.label,
                number(line.max_points),
                number(line.points) if line.points else "—",
            ]
            for index, line in enumerate(score.lines, start=1)
        ],
        footer=["", _("Total"), number(score.possible), number(score.earned)],
    )


def _assignment_table(data: DocumentData) -> Table:
    return Table(
        columns=[
            Column(_("No."), 8, "center"),
            Column(_("Assignment"), 47),
            Column(_("Assigned to"), 28),
            Column(_("Deadline"), 17, "center"),
        ],
        rows=[
            [str(index), row.title, ", ".join(row.members), short_date(_date(row.due_date))]
            for index, row in enumerate(data.assignments, start=1)
        ],
    )


def _commendation_blocks(data: DocumentData) -> list[Paragraph]:
    texts: dict[str, str] = {
        CommendationKind.PRAISE: _("Praised comrade %(name)s: %(note)s"),
        CommendationKind.REMINDER: _("Reminded comrade %(name)s: %(note)s"),
        CommendationKind.CRITICISM: _("Criticised comrade %(name)s: %(note)s"),
    }
    return [
        paragraph(
            texts.get(row.kind, texts[CommendationKind.PRAISE])
            % {"name": row.member, "note": row.note},
            "item",
        )
        for row in data.commendations
    ]


def _chair_line(data: DocumentData) -> str:
    positions: dict[str, str] = {
        Role.SECRETARY: _("secretary of the cell"),
        Role.DEPUTY_SECRETARY: _("deputy secretary of the cell"),
        Role.COMMITTEE_MEMBER: _("member of the cell committee"),
    }
    if data.chair_role in positions:
        return _("comrade %(name)s, %(position)s.") % {
            "name": data.chair,
            "position": positions[data.chair_role],
        }
    return _comrade(data.chair) + "."


# -- minutes --------------------------------------------------------------------------------


def minutes_label(data: DocumentData) -> str:
    return _("Minutes: %(title)s") % {"title": meeting_title(data).lower()}


def minutes(data: DocumentData, *, fingerprint: str = "") -> Document:
    """The minutes (biên bản), with the required fields of DOMAIN §1.7."""
    day = _date(data.date)
    blocks: list = [
        _letterhead(data, day=day, numbered=False),
        paragraph(_("MINUTES"), "type", bold=True),
        paragraph(meeting_title(data), "subject", bold=True),
    ]
    topic = _topic_line(data)
    if topic is not None:
        blocks.append(topic)
    blocks.append(paragraph("", "rule"))
    blocks.append(
        paragraph(
            _("At %(time)s on %(date)s, at %(place)s, %(cell)s held %(meeting)s.")
            % {
                "time": clock(data.start),
                "date": day_month_year(day),
                "place": data.venue or data.locality,
                "cell": data.cell_name,
                "meeting": meeting_phrase(data),
            }
        )
    )
    sections = Sections()
    blocks.append(sections.heading(_("ATTENDANCE")))
    if data.guests:
        guests = "; ".join(
            _("comrade %(name)s, %(title)s") % {"name": g.name, "title": g.title}
            if g.title
            else _comrade(g.name)
            for g in data.guests
        )
        blocks.append(labelled(_("Guests:"), guests + "."))
    blocks.append(labelled(_("Chair:"), _chair_line(data) if data.chair else "…"))
    blocks.append(
        labelled(
            _("Minute-taker:"), _comrade(data.minute_taker) + "." if data.minute_taker else "…"
        )
    )
    blocks.extend(_roll_call_blocks(data))

    blocks.append(sections.heading(_("PROCEEDINGS")))
    blocks.extend(lines(data.record.opening_text))
    thematic_started = False
    for item in data.agenda:
        if item.part == "thematic" and not thematic_started and data.with_thematic_part:
            # The two parts of a combined meeting stay distinct (DOMAIN R1.4): a heading
            # before the first thematic item, unless that item already says it.
            thematic_started = True
            heading = _("Thematic part: %(topic)s") % {"topic": data.topic}
            if item.title != heading:
                blocks.append(paragraph(heading, "heading", bold=True))
        title = paragraph(f"{item.position}. {item.title}", "itemtitle", bold=True)
        # Keep a title with what follows it, but not a run of empty items (a long chain of
        # kept lines would push whole pages forward).
        title.keep_with_next = bool(
            item.notes.strip() or item.speeches or item.conclusion or item.deferred
        )
        blocks.append(title)
        blocks.extend(lines(item.notes))
        if item.speeches:
            opinions = paragraph(_("Opinions:"), "item", italic=True)
            opinions.keep_with_next = True
            blocks.append(opinions)
            for speech in item.speeches:
                blocks.append(_speech(speech))
        if item.conclusion:
            blocks.append(labelled(_("Chair's conclusion:"), item.conclusion))
        if item.deferred:
            blocks.append(paragraph(_("Deferred to the next meeting."), "item", italic=True))
    if data.other_speeches:
        other = paragraph(_("Other opinions"), "itemtitle", bold=True)
        other.keep_with_next = True
        blocks.append(other)
        for speech in data.other_speeches:
            blocks.append(_speech(speech))

    if data.commendations:
        blocks.append(sections.heading(_("PRAISE, REMINDERS AND CRITICISM")))
        blocks.extend(_commendation_blocks(data))
    if data.assignments:
        blocks.append(sections.heading(_("ASSIGNMENTS FOR NEXT MONTH")))
        blocks.append(_assignment_table(data))
    blocks.append(sections.heading(_("VOTES")))
    blocks.extend(_vote_blocks(data) or [paragraph(_("No vote was taken."), "item")])
    blocks.append(sections.heading(_("SCORING AND RATING OF THE MEETING")))
    if data.score is None:
        blocks.append(paragraph(_("The meeting has not been scored yet."), "item"))
    else:
        blocks.append(_score_table(data))
        blocks.append(
            paragraph(
                _("Score: %(total)s/100 points; rating: %(rating)s.")
                % {
                    "total": number(data.score.total),
                    "rating": _rating_label(data.score.rating),
                },
                "item",
                bold=True,
            )
        )
        if data.score.possible and Decimal(data.score.possible) != 100:
            blocks.append(
                paragraph(
                    _(
                        "%(earned)s of the %(possible)s points of the criteria that apply this "
                        "month, converted to a scale of 100."
                    )
                    % {
                        "earned": number(data.score.earned),
                        "possible": number(data.score.possible),
                    },
                    "note",
                    italic=True,
                )
            )
        if data.score.explanation:
            blocks.append(paragraph(data.score.explanation, "note", italic=True))
        if data.score.confirmed_by:
            blocks.append(
                paragraph(
                    _("Confirmed by comrade %(name)s, upper-level committee member.")
                    % {"name": data.score.confirmed_by},
                    "item",
                )
            )
        if data.score.adjustment_reason:
            blocks.append(labelled(_("Reason for the adjustment:"), data.score.adjustment_reason))
    if data.end:
        same_day = data.end_date == data.date
        ended = (
            _("The meeting ended at %(time)s the same day.") % {"time": clock(data.end)}
            if same_day
            else _("The meeting ended at %(time)s on %(date)s.")
            % {"time": clock(data.end), "date": day_month_year(_date(data.end_date))}
        )
        blocks.append(paragraph(ended))
    blocks.extend(lines(data.record.closing_text))
    blocks.append(
        Closing(signers=_minutes_signers(data.signature_of, data.chair, data.minute_taker))
    )
    return _document(
        "minutes", minutes_label(data), day, blocks, fingerprint, f"minutes-{data.meeting_id}"
    )


# -- resolution -----------------------------------------------------------------------------


def resolution_subject(data: DocumentData) -> str:
    if data.record.resolution_subject:
        return data.record.resolution_subject
    if data.kind in (MeetingKind.REGULAR, MeetingKind.COMMITTEE):
        month, year = _next_month(data)
        return _("On leading the tasks of month %(month)s year %(year)s") % {
            "month": month,
            "year": year,
        }
    return data.topic or meeting_phrase(data)


def resolution_label(data: DocumentData) -> str:
    if data.record.resolution_kind == "conclusion":
        text = _("Conclusion No. %(code)s: %(subject)s")
    else:
        text = _("Resolution No. %(code)s: %(subject)s")
    return text % {"code": document_code(data).strip(), "subject": resolution_subject(data)}


def resolution(data: DocumentData, *, fingerprint: str = "") -> Document:
    """The resolution or conclusion (nghị quyết / kết luận), structured as R5.12: opening
    paragraph with the facts of the meeting, I evaluation, II tasks (with the assignments), III
    implementation, IV self-rating, the vote line, recipients and the signature block."""
    day = _date(data.date)
    is_conclusion = data.record.resolution_kind == "conclusion"
    roll = data.roll_call
    blocks: list = [
        _letterhead(data, day=day, numbered=True),
        paragraph(_("CONCLUSION") if is_conclusion else _("RESOLUTION"), "type", bold=True),
        paragraph(resolution_subject(data), "subject", bold=True),
        paragraph("", "rule"),
        paragraph(
            _("On %(date)s, at %(place)s, %(cell)s held %(meeting)s.")
            % {
                "date": short_date(day),
                "place": data.venue or data.locality,
                "cell": data.cell_name,
                "meeting": meeting_phrase(data),
            }
            + " "
            + _(
                "Members of the cell: %(total)s; present: %(present)s; absent: %(absent)s "
                "(with reason: %(excused)s; without reason: %(unexcused)s); exempted from "
                "activity: %(exempted)s."
            )
            % {
                "total": roll.total,
                "present": roll.present,
                "absent": roll.absent,
                "excused": len(roll.absent_excused),
                "unexcused": len(roll.absent_unexcused),
                "exempted": roll.exempted,
            }
            + " "
            + (
                _("The meeting lasted from %(start)s to %(end)s.")
                % {"start": clock(data.start), "end": clock(data.end)}
                if data.end
                else _("The meeting started at %(start)s.") % {"start": clock(data.start)}
            )
            + " "
            + _("Chair: comrade %(chair)s; minute-taker: comrade %(taker)s.")
            % {"chair": data.chair or "…", "taker": data.minute_taker or "…"}
        ),
        paragraph(
            _("Having discussed, the cell agreed to CONCLUDE:")
            if is_conclusion
            else _("Having discussed, the cell agreed to RESOLVE:"),
            "body",
            bold=True,
        ),
    ]
    sections = Sections()
    blocks.append(sections.heading(_("EVALUATION OF LAST MONTH")))
    blocks.extend(lines(data.record.resolution_evaluation))
    if data.commendations:
        blocks.extend(_commendation_blocks(data))
    blocks.append(sections.heading(_("TASKS FOR NEXT MONTH")))
    blocks.extend(lines(data.record.resolution_tasks))
    if data.assignments:
        blocks.append(_assignment_table(data))
    blocks.append(sections.heading(_("IMPLEMENTATION")))
    blocks.extend(lines(data.record.resolution_implementation))
    if data.score is not None:
        blocks.append(sections.heading(_("SELF-RATING OF THE MEETING")))
        blocks.append(
            paragraph(
                _("The cell scored the meeting %(total)s/100 points, rated %(rating)s.")
                % {
                    "total": number(data.score.total),
                    "rating": _rating_label(data.score.rating),
                }
            )
        )
    decisions = [v for v in data.votes if v.subject == VoteSubject.RESOLUTION]
    for vote in decisions:
        if is_conclusion:
            text = (
                _("The conclusion was adopted: %(line)s.")
                if vote.adopted
                else _("The conclusion was not adopted: %(line)s.")
            )
        else:
            text = (
                _("The resolution was adopted: %(line)s.")
                if vote.adopted
                else _("The resolution was not adopted: %(line)s.")
            )
        blocks.append(paragraph(text % {"line": vote_line(vote)}, "body", bold=True))
    if not decisions:
        blocks.append(paragraph(_("Not voted on yet."), "body", italic=True))

    recipients = []
    if data.upper_name:
        recipients.append(_("- %(name)s (for report),") % {"name": data.upper_name})
    for name in data.upper_level_members:
        recipients.append(
            _("- Comrade %(name)s, upper-level committee member following the cell,")
            % {"name": name}
        )
    recipients += [_("- Members of the cell,"), _("- Cell file.")]
    on_behalf = (
        _("ON BEHALF OF THE CELL COMMITTEE")
        if data.signature_authority == SignatureAuthority.CELL_COMMITTEE
        else _("ON BEHALF OF THE CELL")
    )
    positions: dict[str, str] = {
        Role.SECRETARY: _("SECRETARY"),
        Role.DEPUTY_SECRETARY: _("DEPUTY SECRETARY"),
    }
    position = positions.get(data.chair_role, _("CHAIR"))
    blocks.append(
        Closing(
            signers=[
                Signer(
                    [on_behalf, position],
                    data.chair,
                    _signed_note(data.signature_of(SignerRole.CHAIR)),
                )
            ],
            recipients=recipients,
            recipients_label=_("Recipients:"),
        )
    )
    return _document(
        "resolution",
        resolution_label(data),
        day,
        blocks,
        fingerprint,
        f"resolution-{data.meeting_id}",
    )
