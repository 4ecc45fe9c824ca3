"""Layout blocks as an editable Word file (python-docx), in the layout of 36-HD/VPTW (DOMAIN
§5.3, R5.10–R5.11): A4, margins top 25, bottom 25, left 35, right 15 mm mirrored for
double-sided printing, Word's own page numbers from page 2, every run named Times New Roman."""

from __future__ import annotations

import io

from docx import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from chibo.core.exports.fonts import FONT_FAMILY
from chibo.core.exports.layout import (
    MARGIN_BOTTOM,
    MARGIN_INSIDE,
    MARGIN_OUTSIDE,
    MARGIN_TOP,
    PAGE_NUMBER_FROM_TOP,
    Closing,
    Document,
    Letterhead,
    Paragraph,
    Table,
)

BODY_SIZE = Pt(14)
INDENT = Mm(10)


def _set_font(run, *, size=None, bold=None, italic=None, underline=None) -> None:
    run.font.name = FONT_FAMILY
    properties = run._element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT_FAMILY)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold
    if italic is not None:
        run.font.italic = italic
    if underline is not None:
        run.font.underline = underline


def _paragraph_format(paragraph, *, align=None, indent=None, before=0, after=3, keep=False):
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.15
    if align is not None:
        paragraph.alignment = align
    if indent is not None:
        fmt.first_line_indent = indent
    if keep:
        fmt.keep_with_next = True


def _add_text(paragraph, text, *, size=BODY_SIZE, bold=False, italic=False, underline=False):
    run = paragraph.add_run(text)
    _set_font(run, size=size, bold=bold, italic=italic, underline=underline)
    return run


PAGE_NUMBER_SIZE = Pt(13)


def _field(paragraph, instruction: str, *, size=PAGE_NUMBER_SIZE) -> None:
    """A Word field (PAGE) so Word numbers the pages itself."""
    begin, text, end = (
        OxmlElement("w:fldChar"),
        OxmlElement("w:instrText"),
        OxmlElement("w:fldChar"),
    )
    begin.set(qn("w:fldCharType"), "begin")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, end):
        run = paragraph.add_run()
        _set_font(run, size=size)
        run._element.append(element)


def _no_borders(table) -> None:
    """Remove a table's borders. w:tblBorders goes before w:shd, w:tblLayout, w:tblCellMar and
    w:tblLook in w:tblPr (schema order; Word refuses a file that breaks it)."""
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    successor = next(
        (
            child
            for child in properties
            if child.tag in {qn("w:shd"), qn("w:tblLayout"), qn("w:tblCellMar"), qn("w:tblLook")}
        ),
        None,
    )
    if successor is not None:
        successor.addprevious(borders)
    else:
        properties.append(borders)


def _no_cell_margins(table) -> None:
    """No side padding in the letterhead's cells, so long committee names keep to one line
    (w:tblCellMar sits just before w:tblLook)."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        properties.append(margins)


def _column_widths(table, widths) -> None:
    """Set both the grid (w:gridCol, which LibreOffice reads) and each cell's width (w:tcW,
    which Word reads)."""
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _cell_paragraph(cell, first: bool):
    return cell.paragraphs[0] if first else cell.add_paragraph()


def _docx_letterhead(doc, block: Letterhead, text_width) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    _no_cell_margins(table)
    _column_widths(table, (int(text_width * 0.47), int(text_width * 0.53)))
    left, right = table.rows[0].cells
    lines = [
        (block.upper, {"bold": False}),
        (block.issuer, {"bold": True}),
        ("*", {"bold": False}),
    ]
    if block.number:
        lines.append((block.number, {"bold": False}))
    for index, (text, style) in enumerate(lines):
        paragraph = _cell_paragraph(left, index == 0)
        _paragraph_format(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
        _add_text(paragraph, text, **style)
    party = _cell_paragraph(right, True)
    _paragraph_format(party, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    _add_text(party, block.party, size=Pt(15), bold=True, underline=True)
    place = _cell_paragraph(right, False)
    _paragraph_format(place, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _add_text(place, block.place_date, italic=True)


PREFIX = {"item": "- ", "subitem": "+ "}


def _docx_paragraph(doc, block: Paragraph) -> None:
    style = block.style
    paragraph = doc.add_paragraph()
    if style == "type":
        _paragraph_format(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, before=18, after=0)
        size = Pt(16)
    elif style == "subject":
        _paragraph_format(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
        size = BODY_SIZE
    elif style == "rule":
        _paragraph_format(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, after=9)
        _add_text(paragraph, "-----")
        return
    elif style in ("heading", "itemtitle"):
        _paragraph_format(
            paragraph,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            indent=INDENT,
            before=6,
            keep=style == "heading",
        )
        size = BODY_SIZE
    elif style == "note":
        _paragraph_format(paragraph, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=INDENT)
        size = Pt(13)
    elif style == "subitem":
        _paragraph_format(paragraph, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=Mm(15))
        size = BODY_SIZE
    else:  # body, item, center
        align = WD_ALIGN_PARAGRAPH.CENTER if style == "center" else WD_ALIGN_PARAGRAPH.JUSTIFY
        _paragraph_format(paragraph, align=align, indent=INDENT)
        size = BODY_SIZE
    if block.keep_with_next:
        paragraph.paragraph_format.keep_with_next = True
    if style in PREFIX:
        _add_text(paragraph, PREFIX[style], size=size)
    for run in block.runs:
        _add_text(paragraph, run.text, size=size, bold=run.bold, italic=run.italic)


def _docx_table(doc, block: Table, text_width) -> None:
    rows = len(block.rows) + 1 + (1 if block.footer else 0)
    table = doc.add_table(rows=rows, cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _column_widths(table, [int(text_width * column.width / 100) for column in block.columns])
    aligns = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER}
    all_rows = [[c.label for c in block.columns], *block.rows]
    if block.footer:
        all_rows.append(block.footer)
    for row_index, values in enumerate(all_rows):
        bold = row_index == 0 or (block.footer is not None and row_index == len(all_rows) - 1)
        for column_index, value in enumerate(values):
            column = block.columns[column_index]
            cell = table.rows[row_index].cells[column_index]
            paragraph = cell.paragraphs[0]
            align = WD_ALIGN_PARAGRAPH.CENTER if row_index == 0 else aligns[column.align]
            _paragraph_format(paragraph, align=align, after=0)
            _add_text(paragraph, value, size=Pt(13), bold=bold)
    doc.add_paragraph()


def _docx_signer(cell, signer, first: bool) -> None:
    paragraph = _cell_paragraph(cell, first)
    for index, title in enumerate(signer.titles):
        if index:
            paragraph = cell.add_paragraph()
        _paragraph_format(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
        _add_text(paragraph, title, bold=True)
    note = cell.add_paragraph()
    _paragraph_format(note, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    if signer.signed_note:
        _add_text(note, signer.signed_note, size=Pt(12), italic=True)
    for _blank in range(3):
        _paragraph_format(cell.add_paragraph(), after=0)
    name = cell.add_paragraph()
    _paragraph_format(name, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _add_text(name, signer.name, bold=True)


def _docx_closing(doc, block: Closing, text_width) -> None:
    doc.add_paragraph()
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    _no_borders(table)
    _column_widths(table, (int(text_width / 2), int(text_width / 2)))
    # Recipients and signature stay together on one page.
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    row_properties.append(OxmlElement("w:cantSplit"))
    left, right = table.rows[0].cells
    if block.recipients:
        label = left.paragraphs[0]
        _paragraph_format(label, after=0)
        _add_text(label, block.recipients_label, size=Pt(12), bold=True, italic=True)
        for line in block.recipients:
            paragraph = left.add_paragraph()
            _paragraph_format(paragraph, after=0)
            _add_text(paragraph, line, size=Pt(11))
        _docx_signer(right, block.signers[0], True)
    else:
        _docx_signer(left, block.signers[0], True)
        if len(block.signers) > 1:
            _docx_signer(right, block.signers[1], True)


def _docx_header_footer(section, document: Document) -> None:
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    _paragraph_format(header, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _field(header, "PAGE")
    headers = [section.header, section.first_page_header]
    if document.draft_label:
        for part in headers:
            paragraph = part.add_paragraph() if part is section.header else part.paragraphs[0]
            _paragraph_format(paragraph, align=WD_ALIGN_PARAGRAPH.RIGHT, after=0)
            run = _add_text(paragraph, document.draft_label, size=Pt(12), bold=True)
            run.font.color.rgb = RGBColor(0xB0, 0x00, 0x00)
    for part in (section.footer, section.first_page_footer):
        for index, line in enumerate(document.footer_lines):
            paragraph = part.paragraphs[0] if index == 0 else part.add_paragraph()
            _paragraph_format(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
            _add_text(paragraph, line, size=Pt(9))


def _mirror_margins(doc) -> None:
    """Inside/outside margins for double-sided printing (R5.11). w:mirrorMargins sits right
    after w:zoom in the settings part (schema order)."""
    settings = doc.settings.element
    element = OxmlElement("w:mirrorMargins")
    zoom = settings.find(qn("w:zoom"))
    if zoom is not None:
        zoom.addnext(element)
    else:
        settings.insert(0, element)


def docx(document: Document) -> bytes:
    """The document as an editable Word file, Times New Roman named."""
    doc = DocxDocument()
    normal = doc.styles["Normal"]
    normal.font.name = FONT_FAMILY
    normal.font.size = BODY_SIZE
    properties = normal.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT_FAMILY)
    doc.core_properties.title = document.label
    doc.core_properties.author = "chibo"
    doc.core_properties.language = "vi-VN"

    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(MARGIN_INSIDE), Mm(MARGIN_OUTSIDE)
    section.header_distance = Mm(PAGE_NUMBER_FROM_TOP)
    section.footer_distance = Mm(10)
    _mirror_margins(doc)
    text_width = section.page_width - section.left_margin - section.right_margin
    _docx_header_footer(section, document)

    for block in document.blocks:
        if isinstance(block, Letterhead):
            _docx_letterhead(doc, block, text_width)
        elif isinstance(block, Paragraph):
            _docx_paragraph(doc, block)
        elif isinstance(block, Table):
            _docx_table(doc, block, text_width)
        elif isinstance(block, Closing):
            _docx_closing(doc, block, text_width)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
