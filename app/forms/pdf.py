"""The PDF of a form: our own layout drawn with reportlab, every value in a fillable AcroForm field.

The page carries the organisation, the form's title, the date it was filled and, on every page, the
footer "Prefilled by Parcours — check before sending", all in the citizen's language. Labels are
real text (extractable, searchable); values live in AcroForm fields named after the field ids, so
the citizen can still correct them in any PDF reader. Yes/no fields are radio groups with the
export values `yes` and `no`.
"""
from __future__ import annotations

import io
from datetime import date

from flask_babel import format_date, gettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from app.forms.values import display
from app.journeys.forms_schema import FormDefinition, FormField

MARGIN = 54
GUTTER = 18
LABEL_SIZE = 9
VALUE_SIZE = 10
LINE_HEIGHT = 16
FOOTER_SPACE = 42
INK = colors.HexColor("#223654")  # the design system's dark blue
BOX_BORDER = colors.HexColor("#808a9d")
BOX_FILL = colors.HexColor("#f5f7fa")


class _Page:
    """A cursor down the page that starts a new page (with the footer) when the next block does not fit."""

    def __init__(self, canvas: Canvas, size: tuple[float, float], footer: str):
        self.canvas, self.width, self.height, self.footer = canvas, size[0], size[1], footer
        self.number = 1
        self.y = self.height - MARGIN

    def ensure(self, needed: float) -> None:
        if self.y - needed < MARGIN + FOOTER_SPACE:
            self.finish_page()
            self.canvas.showPage()
            self.number += 1
            self.y = self.height - MARGIN

    def finish_page(self) -> None:
        c = self.canvas
        c.setStrokeColor(BOX_BORDER)
        c.line(MARGIN, MARGIN + 20, self.width - MARGIN, MARGIN + 20)
        c.setFillColor(INK)
        c.setFont("Helvetica-Oblique", 8)
        c.drawString(MARGIN, MARGIN + 6, self.footer)
        c.drawRightString(self.width - MARGIN, MARGIN + 6, gettext("Page %(number)s", number=self.number))

    def text_block(self, text: str, font: str, size: float, width: float, gap: float = 4) -> None:
        lines = simpleSplit(text, font, size, width)
        self.ensure(len(lines) * (size + 3) + gap)
        self.canvas.setFont(font, size)
        self.canvas.setFillColor(INK)
        for line in lines:
            self.y -= size + 3
            self.canvas.drawString(MARGIN, self.y, line)
        self.y -= gap


def build_pdf(form: FormDefinition, values: dict, *, lang: str, organisation_name: str, filled_on: date) -> bytes:
    """The PDF bytes of `form` with `values` (field id -> canonical value; absent = hidden field)."""
    size = A4 if form.pdf.page_size == "a4" else LETTER
    buffer = io.BytesIO()
    title = form.title[lang]
    canvas = Canvas(buffer, pagesize=size, lang=lang)
    canvas.setTitle(title)
    canvas.setAuthor(organisation_name)
    canvas.setSubject(gettext("Prefilled by Parcours — check before sending"))
    page = _Page(canvas, size, gettext("Prefilled by Parcours — check before sending"))
    content_width = size[0] - 2 * MARGIN

    page.text_block(organisation_name, "Helvetica-Bold", 10, content_width, gap=6)
    page.text_block(title, "Helvetica-Bold", 16, content_width, gap=6)
    page.text_block(gettext("Filled on %(date)s", date=format_date(filled_on, "long")), "Helvetica", 9,
                    content_width, gap=6)
    if form.pdf.intro:
        page.text_block(form.pdf.intro[lang], "Helvetica", 9, content_width, gap=6)

    for section in form.sections:
        shown = [f for f in section.fields if f.id in values]
        if not shown:
            continue
        page.ensure(60)
        page.y -= 8
        canvas.setFillColor(INK)
        canvas.rect(MARGIN, page.y - 18, content_width, 20, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(MARGIN + 6, page.y - 12, section.title[lang])
        page.y -= 26
        _draw_fields(page, shown, values, lang, form.pdf.columns, content_width)

    page.finish_page()
    canvas.save()
    return buffer.getvalue()


def _draw_fields(page: _Page, fields: list[FormField], values: dict, lang: str, columns: int, width: float) -> None:
    half = (width - GUTTER) / 2
    row: list[FormField] = []

    def flush() -> None:
        if not row:
            return
        box_width = width if len(row) == 1 and (columns == 1 or row[0].pdf.width == "full") else half
        heights = [_field_height(f, lang, box_width) for f in row]
        page.ensure(max(heights))
        for index, f in enumerate(row):
            _draw_field(page, f, values.get(f.id), lang, MARGIN + index * (half + GUTTER), box_width)
        page.y -= max(heights)
        row.clear()

    for f in fields:
        if columns == 2 and f.pdf.width == "half":
            row.append(f)
            if len(row) == 2:
                flush()
        else:
            flush()
            row.append(f)
            flush()
    flush()


def _label_lines(f: FormField, lang: str, width: float) -> list[str]:
    return simpleSplit(f.label[lang], "Helvetica", LABEL_SIZE, width)


def _field_height(f: FormField, lang: str, width: float) -> float:
    label_lines = len(_label_lines(f, lang, width)) + 1
    if f.type == "address":
        return label_lines * (LABEL_SIZE + 3) + 2 * (LINE_HEIGHT + 4 + LABEL_SIZE + 6) + 10
    box = 18 if f.type == "yesno" else LINE_HEIGHT * f.pdf.lines + 4
    return label_lines * (LABEL_SIZE + 3) + box + 10


def _draw_field(page: _Page, f: FormField, value, lang: str, x: float, width: float) -> None:
    c = page.canvas
    y = page.y
    c.setFillColor(INK)
    c.setFont("Helvetica", LABEL_SIZE)
    for line in _label_lines(f, lang, width):
        y -= LABEL_SIZE + 3
        c.drawString(x, y, line)
    y -= 4
    if f.type == "yesno":
        _draw_yesno(c, f, value, lang, x, y - 16)
        return
    if f.type == "address":
        _draw_address(c, f, value if isinstance(value, dict) else {}, lang, x, y, width)
        return
    height = LINE_HEIGHT * f.pdf.lines + 4
    c.acroForm.textfield(
        name=f.id, tooltip=f.label[lang], value=display(f, value, lang),
        x=x, y=y - height, width=width, height=height,
        fontName="Helvetica", fontSize=VALUE_SIZE, borderWidth=1, borderColor=BOX_BORDER,
        fillColor=BOX_FILL, textColor=colors.black, forceBorder=True,
        maxlen=f.validation.max_length, fieldFlags="multiline" if f.pdf.lines > 1 else "",
    )


def _box(c: Canvas, name: str, tooltip: str, value: str, x: float, y: float, width: float, height: float,
         maxlen: int = 200) -> None:
    c.acroForm.textfield(
        name=name, tooltip=tooltip, value=value, x=x, y=y, width=width, height=height,
        fontName="Helvetica", fontSize=VALUE_SIZE, borderWidth=1, borderColor=BOX_BORDER,
        fillColor=BOX_FILL, textColor=colors.black, forceBorder=True, maxlen=maxlen)


def _draw_address(c: Canvas, f: FormField, value: dict, lang: str, x: float, y: float, width: float) -> None:
    """An address as four named boxes: <id>_street on one line, then city, province and postal code."""
    labels = {"street": gettext("Number and street, apartment"), "city": gettext("City or town"),
              "province": gettext("Province"), "postal_code": gettext("Postal code")}
    rows = [[("street", 1.0)], [("city", 0.5), ("province", 0.2), ("postal_code", 0.3)]]
    for row in rows:
        left = x
        y -= LABEL_SIZE + 2
        for part, share in row:
            part_width = width * share - (6 if share < 1 else 0)
            c.setFont("Helvetica", LABEL_SIZE - 1)
            c.setFillColor(INK)
            c.drawString(left, y, labels[part])
            _box(c, f"{f.id}_{part}", f"{f.label[lang]} — {labels[part]}", str(value.get(part) or ""),
                 left, y - LINE_HEIGHT - 6, part_width, LINE_HEIGHT + 4)
            left += width * share
        y -= LINE_HEIGHT + 10


def _draw_yesno(c: Canvas, f: FormField, value, lang: str, x: float, y: float) -> None:
    for offset, (export, label) in enumerate((("yes", gettext("Yes")), ("no", gettext("No")))):
        left = x + offset * 80
        c.acroForm.radio(name=f.id, value=export, selected=(value is (export == "yes")) and value is not None,
                         x=left, y=y, size=14, buttonStyle="circle", borderColor=BOX_BORDER,
                         fillColor=BOX_FILL, textColor=colors.black, forceBorder=True,
                         tooltip=f"{f.label[lang]} — {label}", fieldFlags="noToggleToOff radio")
        c.setFillColor(INK)
        c.setFont("Helvetica", VALUE_SIZE)
        c.drawString(left + 20, y + 3, label)
