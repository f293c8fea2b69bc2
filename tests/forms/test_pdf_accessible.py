"""The prefilled PDF is accessible and faithful (issues 9 and 11): tagged PDF/UA with its language
and title, registry values locked in the PDF too, and any text a citizen can type either printed
(accents, CJK, the emoji the fonts have) or refused with a message naming the characters."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app.forms.pdf_fonts import unprintable
from tests.forms.conftest import start_run
from tests.forms.test_each_form import CASES, consult, review_url
from tests.forms.test_review import BIRTH_ANSWERS, form_data, soup_of

URL = "/formulaires/declaration-naissance?parcours=devenir-parent"
READ_ONLY = 1


def pdf_of(signed_in, page, **changes) -> PdfReader:
    response = signed_in.post(URL, data=form_data(page, **changes, action="pdf"))
    assert response.status_code == 302, soup_of(response).find(id="error-summary")
    pdf = signed_in.get(response.headers["Location"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(pdf.data))


def fonts_of(reader: PdfReader) -> set[str]:
    """Fonts of the pages and of the form fields' appearances."""
    names = set()
    resources = [page.get("/Resources") or {} for page in reader.pages]
    resources.append(reader.trailer["/Root"]["/AcroForm"].get("/DR") or {})
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            normal = (annotation.get_object().get("/AP") or {}).get("/N")
            if normal is not None and hasattr(normal.get_object(), "get"):
                resources.append(normal.get_object().get("/Resources") or {})
    for resource in resources:
        resource = resource.get_object() if hasattr(resource, "get_object") else resource
        for font in (resource.get("/Font") or {}).values():
            names.add(str(font.get_object().get("/BaseFont")))
    return names


def test_the_pdf_is_tagged_with_its_language_and_title(app, signed_in, citizen):
    start_run(app, signed_in, citizen.id, "devenir-parent", BIRTH_ANSWERS)
    reader = pdf_of(signed_in, soup_of(signed_in.get(URL)))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "fr"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == "Déclaration de naissance"
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()  # declares PDF/UA-1
    assert {"enfant_prenoms", "parent_adresse_street"} <= set(reader.get_fields())


def test_cjk_and_emoji_the_fonts_have_are_printed(app, signed_in, citizen):
    start_run(app, signed_in, citizen.id, "devenir-parent", BIRTH_ANSWERS)
    assert unprintable("Léa 李小龍") == [] and unprintable("Léa 😀") == []
    reader = pdf_of(signed_in, soup_of(signed_in.get(URL)), enfant_prenoms="Léa 李小龍", enfant_nom_famille="Roy 😀")
    fields = reader.get_fields()
    assert fields["enfant_prenoms"]["/V"] == "Léa 李小龍"
    assert fields["enfant_nom_famille"]["/V"] == "Roy 😀"
    fonts = fonts_of(reader)
    assert any("CJK" in name for name in fonts) and any("DejaVu" in name for name in fonts), fonts


def test_characters_no_font_has_are_refused_with_a_message(app, signed_in, citizen):
    start_run(app, signed_in, citizen.id, "devenir-parent", BIRTH_ANSWERS)
    missing = "\U0001F973"  # 🥳: in none of the PDF's fonts
    assert unprintable(missing) == [missing]
    page = soup_of(signed_in.get(URL))
    response = signed_in.post(URL, data=form_data(page, enfant_prenoms=f"Léa {missing}", action="pdf"))
    assert response.status_code == 200
    summary = soup_of(response).find(id="error-summary").get_text(" ", strip=True)
    assert "ne peuvent pas être imprimés" in summary and missing in summary
    # CJK and an emoji in one field: no single font has both
    response = signed_in.post(URL, data=form_data(page, enfant_prenoms="李 😀", action="pdf"))
    assert response.status_code == 200
    summary = soup_of(response).find(id="error-summary").get_text(" ", strip=True)
    assert "ne peuvent pas être imprimés" in summary


@pytest.mark.parametrize("case", [c for c in CASES if c.form == "allocation-famille"], ids=lambda c: c.form)
def test_registry_values_are_read_only_in_the_pdf(app, signed_in, citizen, registries, case):
    start_run(app, signed_in, citizen.id, case.journey, case.answers)
    consult(signed_in, case)
    page = soup_of(signed_in.get(review_url(case)))
    extra = {"garde_partagee": "non", "conjoint_prenoms": "Sam", "conjoint_nom_famille": "Roy"}
    response = signed_in.post(review_url(case), data=form_data(page, **extra, action="pdf"))
    assert response.status_code == 302
    fields = PdfReader(io.BytesIO(signed_in.get(response.headers["Location"]).data)).get_fields()
    registry_field = case.from_registry[0]
    assert int(fields[registry_field].get("/Ff", 0)) & READ_ONLY
    assert not int(fields["conjoint_prenoms"].get("/Ff", 0)) & READ_ONLY
