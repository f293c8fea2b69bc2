"""The PDF of a form: an accessible, tagged PDF (PDF/UA-1) drawn by WeasyPrint from an HTML page,
every value in a fillable AcroForm field.

The page carries the organisation, the form's title, the date it was filled and, on every page, the
footer "Prefilled by Parcours — check before sending", all in the citizen's language; the document
says its language and title (shown as the window title). Labels are real text; values live in form
fields named after the field ids (an address: `<id>_street`, `_city`, `_province`, `_postal_code`),
so the citizen can still correct them in any PDF reader — except values read from a registry,
whose fields are read-only in the PDF too. Yes/no fields are radio groups with the export values
`yes` and `no`. Fonts cover Latin, Greek, Cyrillic and CJK scripts (app/forms/pdf_fonts.py).
"""
from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

from flask import render_template
from flask_babel import format_date, gettext
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject
from weasyprint import CSS, HTML

from app.forms.pdf_fonts import font_for
from app.forms.values import display
from app.journeys.forms_schema import FormDefinition, FormField

STYLESHEET = Path(__file__).with_name("pdf.css")
READ_ONLY = 1  # bit 1 of a field's /Ff flags (PDF 32000-1, 12.7.3.1)
ADDRESS_PARTS = ("street", "city", "province", "postal_code")
# A field's value is drawn in one font: the first that has all its characters (classes in pdf.css).
FONT_CLASSES = {"Noto Sans CJK JP": "font-cjk", "DejaVu Sans": "font-symbols"}


def _css_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _page_css(page_size: str, footer: str) -> CSS:
    """What changes with the form and the language: the page size and the footer's words."""
    before, _, after = gettext("Page %(number)s", number="\0").partition("\0")
    page_number = f"{_css_string(before)} counter(page) {_css_string(after)}"
    size = "A4" if page_size == "a4" else "letter"
    return CSS(string=f"@page {{ size: {size}; @bottom-left {{ content: {_css_string(footer)}; }}"
                      f" @bottom-right {{ content: {page_number}; }} }}")


def _field_view(f: FormField, value, lang: str, readonly: bool) -> dict:
    view = {"id": f.id, "type": f.type, "label": f.label[lang], "readonly": readonly,
            "width": f.pdf.width, "lines": f.pdf.lines, "maxlength": f.validation.max_length}
    if f.type == "yesno":
        view["choices"] = (("yes", gettext("Yes")), ("no", gettext("No")))
        view["value"] = None if value is None else ("yes" if value is True else "no")
    elif f.type == "address":
        labels = {"street": gettext("Number and street, apartment"), "city": gettext("City or town"),
                  "province": gettext("Province"), "postal_code": gettext("Postal code")}
        parts = value if isinstance(value, dict) else {}
        view["parts"] = [{"name": part, "label": labels[part], "value": str(parts.get(part) or "")}
                         for part in ADDRESS_PARTS]
    else:
        view["value"] = display(f, value, lang)
    texts = [view.get("value") or ""] + [part["value"] for part in view.get("parts", [])]
    family = font_for(" ".join(texts))
    view["font"] = FONT_CLASSES.get(family, "")
    return view


def build_pdf(form: FormDefinition, values: dict, *, lang: str, organisation_name: str, filled_on: date,
              readonly: frozenset[str] | set[str] = frozenset()) -> bytes:
    """The PDF bytes of `form` with `values` (field id -> canonical value; absent = hidden field).

    `readonly`: ids of the fields whose value came from a registry (locked in the PDF)."""
    footer = gettext("Prefilled by Parcours — check before sending")
    sections = []
    for section in form.sections:
        shown = [_field_view(f, values.get(f.id), lang, f.id in readonly) for f in section.fields if f.id in values]
        if shown:
            sections.append({"title": section.title[lang], "fields": shown})
    html = render_template(
        "forms/pdf.html", lang=lang, title=form.title[lang], organisation_name=organisation_name, footer=footer,
        filled_on=gettext("Filled on %(date)s", date=format_date(filled_on, "long")),
        intro=form.pdf.intro[lang] if form.pdf.intro else None, sections=sections, columns=form.pdf.columns)
    content = HTML(string=html).write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET)), _page_css(form.pdf.page_size, footer)],
        pdf_variant="pdf/ua-1", pdf_forms=True, uncompressed_pdf=False)
    return _finish(content, readonly, {f.id for s in form.sections for f in s.fields if f.type == "yesno"})


def _finish(content: bytes, readonly, yesno_ids: set[str]) -> bytes:
    """Lock the registry's fields, and give yes/no radio buttons the export values yes and no."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    fields = writer._root_object.get("/AcroForm", {}).get("/Fields", [])
    for reference in fields:
        field = reference.get_object()
        name = str(field.get("/T", ""))
        base = name.rsplit("_", 1)[0] if name.endswith(tuple(f"_{p}" for p in ADDRESS_PARTS)) else name
        if name in readonly or base in readonly:
            field[NameObject("/Ff")] = NumberObject(int(field.get("/Ff", 0)) | READ_ONLY)
        if name in yesno_ids:
            _name_radio_states(field)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _name_radio_states(field) -> None:
    """WeasyPrint numbers a radio group's states (/0, /1); the PDF says /yes and /no, as the form did."""
    names = {}
    for index, kid_reference in enumerate(field.get("/Kids", [])):
        kid = kid_reference.get_object()
        appearances = kid.get("/AP", {}).get("/N", {})
        for state in list(appearances.keys()):
            if state != "/Off":
                export = NameObject("/yes" if index == 0 else "/no")
                names[state] = export
                appearances[export] = appearances.pop(state)
        if kid.get("/AS") in names:
            kid[NameObject("/AS")] = names[kid["/AS"]]
    if field.get("/V") in names:
        field[NameObject("/V")] = names[field["/V"]]
