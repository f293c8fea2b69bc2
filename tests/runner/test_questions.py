"""The questionnaire as a citizen uses it: one question per page, back, progress, errors, groups, check page."""
from __future__ import annotations

from bs4 import BeautifulSoup
from runner_helpers import JOURNEY, answer_all, item_url, question_url
from sqlalchemy import select

from app.core.db import db
from app.runner.models import Run


def soup(response) -> BeautifulSoup:
    """The page, with no-break spaces (French typography) read as plain spaces."""
    html = response.get_data(as_text=True).replace("\u00a0", " ").replace("\u202f", " ")
    return BeautifulSoup(html, "html.parser")


def stored_answers(app) -> dict:
    with app.app_context():
        runs = db.session.execute(select(Run)).scalars().all()
        assert len(runs) == 1
        return runs[0].answers


def start(client):
    response = client.post(f"/parcours/{JOURNEY}/commencer")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(question_url("type_evenement"))


def test_start_page_explains_and_starts(rclient):
    page = soup(rclient.get(f"/parcours/{JOURNEY}"))
    assert page.h1.get_text(strip=True) == "Parcours d'essai"
    assert page.find("form", action=f"/parcours/{JOURNEY}/commencer")["method"] == "post"
    start(rclient)
    page = soup(rclient.get(f"/parcours/{JOURNEY}"))
    assert page.find(id="resume-link") is None  # nothing answered yet
    rclient.post(question_url("type_evenement"), data={"type_evenement": "naissance"})
    page = soup(rclient.get(f"/parcours/{JOURNEY}"))
    assert page.find(id="resume-link")["href"] == question_url("date_evenement")


def test_question_page_label_is_the_h1_with_hint_progress_and_back_link(rclient):
    start(rclient)
    page = soup(rclient.get(question_url("type_evenement")))
    legend_h1 = page.select_one("fieldset legend h1")
    assert legend_h1.get_text(strip=True) == "Quel événement vivez-vous?"
    assert page.title.get_text().startswith("Quel événement vivez-vous? — Parcours")
    assert page.find(id="type_evenement-hint").get_text(strip=True) == "Choisissez une réponse."
    assert [i["name"] for i in page.select("input[type=radio]")] == ["type_evenement", "type_evenement"]
    assert page.find(id="type_evenement-adoption")["aria-describedby"] == "type_evenement-adoption-hint"
    assert "Question 1 sur environ" in page.find(id="progress").get_text()
    assert page.find(id="back-link")["href"] == f"/parcours/{JOURNEY}"

    rclient.post(question_url("type_evenement"), data={"type_evenement": "naissance"})
    page = soup(rclient.get(question_url("date_evenement")))
    label_h1 = page.select_one("h1 label[for=date_evenement]")
    assert label_h1.get_text(strip=True) == "Quelle est la date de l'événement?"
    assert page.find(id="back-link")["href"] == question_url("type_evenement")
    assert "Question 2 sur environ" in page.find(id="progress").get_text()


def test_answers_are_kept_and_shown_again(rclient):
    start(rclient)
    response = rclient.post(question_url("type_evenement"), data={"type_evenement": "adoption"})
    assert response.headers["Location"].endswith(question_url("date_evenement"))
    page = soup(rclient.get(question_url("type_evenement")))
    assert page.find(id="type_evenement-adoption").has_attr("checked")
    rclient.post(question_url("date_evenement"), data={"date_evenement": "14/02/2026"})
    page = soup(rclient.get(question_url("date_evenement")))
    assert page.find(id="date_evenement")["value"] == "2026-02-14"
    assert stored_answers(rclient.application) == {"type_evenement": "adoption", "date_evenement": "2026-02-14"}


def test_an_error_shows_the_summary_linked_to_the_field_and_stores_nothing(rclient):
    start(rclient)
    rclient.post(question_url("type_evenement"), data={"type_evenement": "naissance"})
    response = rclient.post(question_url("date_evenement"), data={"date_evenement": "31/02/2026"})
    assert response.status_code == 200
    page = soup(response)
    assert page.title.get_text().startswith("Erreur : Quelle est la date")
    summary = page.find(id="error-summary")
    assert summary["role"] == "alert"
    link = summary.find("a")
    assert link["href"] == "#date_evenement"
    field = page.find(id="date_evenement")
    assert field["value"] == "31/02/2026"
    assert field["aria-invalid"] == "true"
    assert "date_evenement-error" in field["aria-describedby"].split()
    assert page.find(id="date_evenement-error").get_text(" ", strip=True).startswith("Erreur :")
    assert "date_evenement" not in stored_answers(rclient.application)


def test_a_required_choice_left_empty_is_an_error(rclient):
    start(rclient)
    page = soup(rclient.post(question_url("type_evenement"), data={}))
    assert page.find(id="error-summary").find("a")["href"] == "#type_evenement-naissance"
    assert page.find(id="type_evenement-error") is not None


def test_tampered_posts_are_refused_and_nothing_is_stored(rclient):
    start(rclient)
    page = soup(rclient.post(question_url("type_evenement"), data={"type_evenement": "divorce"}))
    assert page.find(id="error-summary") is not None
    rclient.post(question_url("type_evenement"), data={"type_evenement": "naissance"})
    page = soup(rclient.post(question_url("date_evenement"), data={"date_evenement": "'; DROP TABLE runs; --"}))
    assert page.find(id="date_evenement-error") is not None
    rclient.post(question_url("date_evenement"), data={"date_evenement": "2026-02-25"})
    rclient.post(question_url("au_quebec"), data={"au_quebec": "oui"})
    response = rclient.post(question_url("hopital"), data={"hopital": "x" * 100_000})
    assert response.status_code == 200
    assert soup(response).find(id="hopital-error") is not None
    assert len(response.get_data()) < 60_000  # the 100 000 characters are not sent back whole
    page = soup(rclient.post(question_url("besoins"), data={"besoins": ["garderie", "piscine"]}))
    assert page.find(id="besoins-error") is not None
    assert stored_answers(rclient.application) == {
        "type_evenement": "naissance", "date_evenement": "2026-02-25", "au_quebec": True}


def test_numbers_accept_the_french_decimal_comma(rclient):
    start(rclient)
    rclient.post(question_url("type_evenement"), data={"type_evenement": "adoption"})
    rclient.post(question_url("date_evenement"), data={"date_evenement": "2026-02-25"})
    response = rclient.post(question_url("revenu"), data={"revenu": "45 000,50"})
    assert response.status_code == 302
    assert stored_answers(rclient.application)["revenu"] == 45000.5
    assert soup(rclient.get(question_url("revenu"))).find(id="revenu")["value"] == "45000,5"
    page = soup(rclient.post(question_url("revenu"), data={"revenu": "-3"}))
    assert page.find(id="revenu-error") is not None


def test_unknown_journey_question_or_hidden_question_is_a_404(rclient):
    assert rclient.get("/parcours/inconnu").status_code == 404
    assert rclient.get("/parcours/inconnu/questions/type_evenement").status_code == 404
    start(rclient)
    assert rclient.get(question_url("pas_une_question")).status_code == 404
    rclient.post(question_url("type_evenement"), data={"type_evenement": "adoption"})
    # au_quebec is only asked for a birth
    response = rclient.get(question_url("au_quebec"))
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)
    assert rclient.post(question_url("au_quebec"), data={"au_quebec": "oui"}).status_code == 404
    assert rclient.get(item_url("enfants", 5, "prenom")).status_code == 404
    assert rclient.get(f"/parcours/{JOURNEY}/questions/enfants/0/retirer").status_code == 404


def test_without_a_run_questions_lead_to_the_start_page(rclient):
    response = rclient.get(question_url("type_evenement"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/parcours/{JOURNEY}")


def test_changing_an_earlier_answer_drops_the_answers_it_made_irrelevant(rclient):
    answer_all(rclient)
    assert stored_answers(rclient.application)["hopital"] == "Sainte-Justine"
    rclient.post(question_url("type_evenement", retour="verifier"), data={"type_evenement": "adoption"})
    answers = stored_answers(rclient.application)
    assert "au_quebec" not in answers and "hopital" not in answers
    assert answers["revenu"] == 45000.5  # answers still on the route are kept


def test_check_page_lists_answers_and_change_links_come_back_to_it(rclient):
    response = answer_all(rclient)
    assert response.headers["Location"].endswith(f"/parcours/{JOURNEY}/verifier")
    page = soup(rclient.get(f"/parcours/{JOURNEY}/verifier"))
    assert page.h1.get_text(strip=True) == "Vérifier vos réponses"
    row = page.find(id="answer-date_evenement")
    assert row.dt.get_text(strip=True) == "Quelle est la date de l'événement?"
    assert row.find("dd").get_text(strip=True) == "25 février 2026"
    assert page.find(id="answer-revenu").find("dd").get_text(strip=True) == "45 000,5"
    assert page.find(id="answer-enfants").find("dd").get_text(strip=True) == "Léa"
    assert page.find(id="answer-nouvelle_adresse").find("dd").get_text(strip=True) == "Pas de réponse"
    change = page.find(id="change-date_evenement")
    assert change["href"] == question_url("date_evenement", retour="verifier")
    assert "Quelle est la date" in change.find(class_="qc-sr-only").get_text()

    page = soup(rclient.get(change["href"]))
    assert page.find(id="back-link")["href"] == f"/parcours/{JOURNEY}/verifier"
    assert page.find("form", id="question-form")["action"] == question_url("date_evenement", retour="verifier")
    response = rclient.post(change["href"], data={"date_evenement": "2026-02-20"})
    assert response.headers["Location"].endswith(f"/parcours/{JOURNEY}/verifier")


def test_a_change_that_opens_new_questions_asks_them_before_the_check_page(rclient):
    answer_all(rclient, event="adoption")
    response = rclient.post(question_url("type_evenement", retour="verifier"), data={"type_evenement": "naissance"})
    assert response.headers["Location"].endswith(question_url("au_quebec", retour="verifier"))
    response = rclient.post(question_url("au_quebec", retour="verifier"), data={"au_quebec": "non"})
    assert response.headers["Location"].endswith(f"/parcours/{JOURNEY}/verifier")


def test_check_and_result_pages_wait_for_a_complete_route(rclient):
    start(rclient)
    rclient.post(question_url("type_evenement"), data={"type_evenement": "naissance"})
    for page in ("verifier", "resultat", "resultat.ics"):
        response = rclient.get(f"/parcours/{JOURNEY}/{page}")
        assert response.status_code == 302
        assert response.headers["Location"].endswith(question_url("date_evenement"))


def test_repeating_group_add_change_remove(rclient):
    answer_all(rclient, children=("Léa", "Noé"))
    page = soup(rclient.get(question_url("enfants")))
    assert page.h1.get_text(strip=True) == "Les enfants"
    names = [n.get_text(strip=True) for n in page.select(".parcours-item-name")]
    assert names == ["Léa", "Noé"]
    assert page.find(id="add-item")["href"] == item_url("enfants", 2, "prenom")

    # change the second child's first name: back to the list after the item's last question
    assert rclient.get(page.find(id="change-item-1")["href"]).status_code == 200
    response = rclient.post(item_url("enfants", 1, "prenom"), data={"prenom": "Noah"})
    assert response.headers["Location"].endswith(item_url("enfants", 1, "sexe"))
    response = rclient.post(item_url("enfants", 1, "sexe"), data={"sexe": "m"})
    assert response.headers["Location"].endswith(question_url("enfants"))
    assert [c["prenom"] for c in stored_answers(rclient.application)["enfants"]] == ["Léa", "Noah"]

    # removal asks for confirmation first (no JavaScript), then removes
    page = soup(rclient.get(f"/parcours/{JOURNEY}/questions/enfants/0/retirer"))
    assert page.h1.get_text(strip=True) == "Retirer Léa?" or page.h1.get_text(strip=True) == "Retirer Léa ?"
    assert page.find(id="cancel-remove")["href"] == question_url("enfants")
    assert len(stored_answers(rclient.application)["enfants"]) == 2
    response = rclient.post(f"/parcours/{JOURNEY}/questions/enfants/0/retirer")
    assert response.headers["Location"].endswith(question_url("enfants"))
    assert [c["prenom"] for c in stored_answers(rclient.application)["enfants"]] == ["Noah"]


def test_a_new_item_is_stored_only_once_its_first_answer_is_valid(rclient):
    answer_all(rclient)
    page = soup(rclient.post(item_url("enfants", 1, "prenom"), data={"prenom": ""}))
    assert page.find(id="prenom-error") is not None
    assert len(stored_answers(rclient.application)["enfants"]) == 1
    # a new item starts at its first question only
    assert rclient.get(item_url("enfants", 1, "sexe")).status_code == 404


def test_group_continue_checks_min_items_and_unfinished_items(rclient):
    start(rclient)
    for qid, value in (("type_evenement", "adoption"), ("date_evenement", "2026-02-25"), ("revenu", "10")):
        rclient.post(question_url(qid), data={qid: value})
    rclient.post(question_url("besoins"), data={})
    page = soup(rclient.post(question_url("enfants"), data={}))
    assert page.find(id="error-summary") is not None
    assert page.title.get_text().startswith("Erreur :")
    rclient.post(item_url("enfants", 0, "prenom"), data={"prenom": "Léa"})
    page = soup(rclient.post(question_url("enfants"), data={}))
    assert "À compléter" in page.find(id="item-0").get_text()
    assert page.find(id="error-summary") is not None
    rclient.post(item_url("enfants", 0, "sexe"), data={"sexe": "f"})
    response = rclient.post(question_url("enfants"), data={})
    assert response.headers["Location"].endswith(question_url("nouvelle_adresse"))


def test_address_and_person_fields(rclient):
    answer_all(rclient)
    page = soup(rclient.get(question_url("nouvelle_adresse")))
    assert page.select_one("fieldset legend h1").get_text(strip=True) == "Quelle est votre adresse?"
    assert page.find(id="nouvelle_adresse-province").find("option", selected=True)["value"] == "QC"
    bad = {"nouvelle_adresse.street": "1 rue Principale", "nouvelle_adresse.city": "Québec",
           "nouvelle_adresse.province": "QC", "nouvelle_adresse.postal_code": "123"}
    page = soup(rclient.post(question_url("nouvelle_adresse"), data=bad))
    assert page.find(id="error-summary").find("a")["href"] == "#nouvelle_adresse-postal_code"
    assert page.find(id="error-summary").get_text(" ", strip=True).endswith("Code postal : " + page.find(id="error-summary").find("a").get_text(strip=True).split(" : ", 1)[1])
    assert page.find(id="nouvelle_adresse-postal_code")["aria-invalid"] == "true"
    assert not page.find(id="nouvelle_adresse-street").has_attr("aria-invalid")
    assert page.find(id="nouvelle_adresse-street")["value"] == "1 rue Principale"
    good = {**bad, "nouvelle_adresse.postal_code": "g1r4p5"}
    rclient.post(question_url("nouvelle_adresse"), data=good)
    rclient.post(question_url("parent"), data={"parent.given_names": "Marie", "parent.family_name": "Tremblay",
                                               "parent.birth_date": "1990-05-02"})
    page = soup(rclient.get(f"/parcours/{JOURNEY}/verifier"))
    assert page.find(id="answer-nouvelle_adresse").find("dd").get_text(strip=True) == \
        "1 rue Principale, Québec (QC) G1R 4P5"
    assert page.find(id="answer-parent").find("dd").get_text(strip=True) == "Marie Tremblay, date de naissance : 2 mai 1990"


def test_pages_switch_language_and_need_no_javascript(rclient):
    start(rclient)
    page = soup(rclient.get(question_url("type_evenement")))
    assert page.html["lang"] == "fr"
    switch = page.find(id="language-switch")
    assert switch["lang"] == "en" and switch.get_text(strip=True) == "English"
    response = rclient.get(switch["href"])
    assert response.headers["Location"].endswith(question_url("type_evenement"))
    page = soup(rclient.get(question_url("type_evenement")))
    assert page.html["lang"] == "en"
    assert page.select_one("fieldset legend h1").get_text(strip=True) == "What is happening?"
    assert page.find(id="continue-button").get_text(strip=True) == "Continue"
    assert page.find(id="language-switch").get_text(strip=True) == "Français"
    assert not page.find_all("script")
    assert not page.select("[style]") and not page.select("[onclick]")


def test_a_question_page_is_small(rclient):
    start(rclient)
    assert len(rclient.get(question_url("type_evenement")).get_data()) < 30_000


def test_a_post_without_csrf_token_shows_the_start_page_again_and_stores_nothing(runner_app):
    runner_app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = runner_app.test_client()
        client.get("/langue/fr")
        response = client.post(f"/parcours/{JOURNEY}/commencer")
        # Not a dead end (issue 11): the start page comes back, with a fresh token.
        assert response.status_code == 302 and response.headers["Location"].endswith(f"/parcours/{JOURNEY}")
        with runner_app.app_context():
            assert db.session.execute(select(Run)).first() is None
        page = soup(client.get(f"/parcours/{JOURNEY}"))
        token = page.find("input", attrs={"name": "csrf_token"})["value"]
        assert client.post(f"/parcours/{JOURNEY}/commencer", data={"csrf_token": token}).status_code == 302
    finally:
        runner_app.config["WTF_CSRF_ENABLED"] = False
        with runner_app.app_context():
            for run in db.session.execute(select(Run)).scalars():
                db.session.delete(run)
            db.session.commit()


def test_error_pages_speak_the_users_language(rclient):
    assert "Page introuvable" in rclient.get("/parcours/inconnu").get_data(as_text=True)
    rclient.get("/langue/en")
    page = soup(rclient.get("/parcours/inconnu"))
    assert page.h1.get_text(strip=True) == "Page not found"
    assert page.find(id="back-home")["href"] == "/"


def test_a_run_owned_by_an_account_is_not_found_without_that_account(rclient):
    start(rclient)
    with rclient.application.app_context():
        run = db.session.execute(select(Run)).scalar_one()
        run.user_id = 4242
        db.session.commit()
    response = rclient.get(question_url("type_evenement"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/parcours/{JOURNEY}")


def test_a_profile_suggestion_fills_the_field_and_is_marked_on_the_check_page(rclient):
    from app.runner import prefill

    address = {"street": "5 rue Saint-Jean", "city": "Québec", "province": "QC", "postal_code": "G1R 1N8"}
    providers = rclient.application.extensions.setdefault(prefill.EXTENSION, [])
    provider = lambda question: address if question.prefill == "profile.address" else None  # noqa: E731
    providers.append(provider)
    try:
        answer_all(rclient)
        rclient.post(question_url("nouvelle_adresse", retour="verifier"), data={})  # cleared: stored as skipped
        page = soup(rclient.get(question_url("nouvelle_adresse")))
        assert page.find(id="prefilled-note") is None  # an answer exists (skipped): no suggestion
        with rclient.application.app_context():
            run = db.session.execute(select(Run)).scalar_one()
            run.answers = {k: v for k, v in run.answers.items() if k != "nouvelle_adresse"}
            db.session.commit()
        page = soup(rclient.get(question_url("nouvelle_adresse")))
        assert page.find(id="prefilled-note") is not None
        assert page.find(id="nouvelle_adresse-street")["value"] == "5 rue Saint-Jean"
        rclient.post(question_url("nouvelle_adresse"), data={f"nouvelle_adresse.{k}": v for k, v in address.items()})
        page = soup(rclient.get(f"/parcours/{JOURNEY}/verifier"))
        assert "d’après votre profil" in page.find(id="answer-nouvelle_adresse").get_text()
        assert "d’après votre profil" not in page.find(id="answer-revenu").get_text()
    finally:
        providers.remove(provider)
