"""Rules checked across every route of the app: ids in URLs are typed, and the list of URLs is an
inventory, so adding or removing one is a decision made in this file rather than an accident."""
from __future__ import annotations

import re

from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter

# A URL argument that names a record or a definition element is an id, whatever its exact name.
ID_LIKE = re.compile(r"(^|_)(id|uuid|token|index|number|item|run|journey|step|question|slug)$")
# Free-text URL arguments that are deliberately not ids (each one checked where it is used).
FREE_TEXT_ARGUMENTS = {
    ("static", "filename"),            # served by Flask from static/, which refuses paths outside it
    ("auth.static", "filename"),       # likewise, from the auth blueprint's static folder
    ("studio.static", "filename"),     # likewise, from the studio blueprint's static folder
    ("i18n.switch_language", "lang"),  # anything but fr/en is ignored
    # Signed, expiring tokens (itsdangerous): opaque text, refused unless the signature holds.
    ("auth.verify_email", "token"),
    ("auth.reset_password", "token"),
    ("entreprises.accept_invitation", "token"),
}

# Every URL the app serves: "METHODS rule endpoint". Update it when a route is added or removed.
ROUTE_INVENTORY = {
    # static files
    "GET /static/<path:filename> static",
    # language switch (app/core/i18n.py)
    "GET /langue/<lang> i18n.switch_language",
    # the citizen questionnaire (app/runner/)
    "GET / runner.home",
    "GET /parcours/<slug:journey_id> runner.start",
    "POST /parcours/<slug:journey_id>/commencer runner.begin",
    "GET,POST /parcours/<slug:journey_id>/questions/<ident:group_id>/<int:index>/<ident:question_id> "
    "runner.item_question",
    "GET,POST /parcours/<slug:journey_id>/questions/<ident:group_id>/<int:index>/retirer runner.remove_item",
    "GET,POST /parcours/<slug:journey_id>/questions/<ident:question_id> runner.question",
    "GET /parcours/<slug:journey_id>/resultat runner.result",
    "GET /parcours/<slug:journey_id>/resultat.ics runner.calendar_file",
    "GET,POST /parcours/<slug:journey_id>/verifier runner.check",
    # accounts (app/auth/)
    "GET /auth/static/<path:filename> auth.static",
    "GET,POST /connexion auth.login",
    "POST /courriel/renvoyer auth.resend_verification",
    "GET /courriel/verifier/<token> auth.verify_email",
    "GET /deconnecte auth.logged_out",
    "POST /deconnexion auth.logout",
    "GET,POST /inscription auth.register",
    "GET /inscription/verifiez-vos-courriels auth.check_email",
    "GET /mot-de-passe/modifie auth.password_changed",
    "GET,POST /mot-de-passe/nouveau/<token> auth.reset_password",
    "GET,POST /mot-de-passe/oublie auth.forgot_password",
    "GET /session/avertissement auth.session_warning",
    "GET /session/expiree auth.session_expired",
    "POST /session/prolonger auth.extend_session",
    # Mon dossier (app/dossier/)
    "GET /compte-supprime dossier.account_deleted",
    "GET /confidentialite dossier.privacy",
    "GET /mon-dossier dossier.home",
    "GET /mon-dossier/mes-donnees dossier.my_data",
    "GET /mon-dossier/mes-donnees.json dossier.my_data_json",
    "GET,POST /mon-dossier/parcours/<uuid:run_id> dossier.run_plan",
    "GET /mon-dossier/parcours/<uuid:run_id>/reprendre dossier.resume",
    "GET,POST /mon-dossier/parcours/<uuid:run_id>/supprimer dossier.delete_run",
    "GET,POST /mon-dossier/profil dossier.profile",
    "GET,POST /mon-dossier/supprimer dossier.delete_account",
    # the déclaration unique (app/declarations/)
    "GET /mon-dossier/declarations declarations.index",
    "GET /mon-dossier/declarations/<uuid:declaration_id> declarations.show",
    "GET,POST /parcours/<slug:journey_id>/declaration declarations.review",
    # prefilled forms (app/forms/)
    "GET,POST /formulaires/<slug:form_id> forms.review",
    "GET,POST /formulaires/<slug:form_id>/consultation forms.consult",
    "GET /formulaires/brouillons/<uuid:draft_id>/pdf forms.pdf",
    "POST /formulaires/brouillons/<uuid:draft_id>/supprimer forms.delete_draft",
    "GET /mon-dossier/formulaires forms.my_forms",
    # the business space (app/entreprises/)
    "GET /entreprises entreprises.home",
    "GET,POST /entreprises/nouvelle entreprises.create",
    "GET,POST /entreprises/invitation/<token> entreprises.accept_invitation",
    "GET /entreprises/<uuid:business_id> entreprises.show",
    "GET /entreprises/<uuid:business_id>/echeances.ics entreprises.calendar_file",
    "GET,POST /entreprises/<uuid:business_id>/membres entreprises.members",
    "GET,POST /entreprises/<uuid:business_id>/membres/<int:member_id>/retirer entreprises.remove_member",
    "GET,POST /entreprises/<uuid:business_id>/membres/<int:member_id>/role entreprises.member_role",
    "POST /entreprises/<uuid:business_id>/obligations entreprises.tick",
    "POST /entreprises/<uuid:business_id>/parcours entreprises.start_journey",
    "GET,POST /mon-dossier/informations-gouvernementales forms.government_information",
    # the staff studio (app/studio/): every route is a 404 for anyone without a staff role
    "GET /studio/ studio.home",
    "GET /studio/journal studio.audit_log",
    "GET /studio/parcours/<slug:slug> studio.journey",
    "GET,POST /studio/parcours/<slug:slug>/brouillon studio.edit",
    "GET,POST /studio/parcours/<slug:slug>/brouillon/abandonner studio.discard",
    "POST /studio/parcours/<slug:slug>/brouillon/creer studio.start_draft",
    "POST /studio/parcours/<slug:slug>/brouillon/demander-publication studio.request_review",
    "GET,POST /studio/parcours/<slug:slug>/brouillon/publier studio.publish",
    "GET /studio/parcours/<slug:slug>/brouillon/scenarios studio.scenarios",
    "GET /studio/parcours/<slug:slug>/brouillon/structure studio.structure",
    "GET /studio/parcours/<slug:slug>/comparer studio.compare",
    "GET /studio/parcours/<slug:slug>/versions studio.versions",
    "GET /studio/parcours/<slug:slug>/versions/<int:number>.yaml studio.export",
    "GET,POST /studio/parcours/<slug:slug>/versions/<int:number>/restaurer studio.rollback",
    "GET /studio/static/<path:filename> studio.static",
    "POST /studio/parcours/<slug:slug>/brouillon/scenarios/enregistrer studio.save_scenario",
    "GET /studio/avis studio.feedback_list",
    "GET,POST /studio/avis/<int:feedback_id> studio.feedback_item",
    "GET /studio/indicateurs studio.indicators",
    "GET /studio/indicateurs.csv studio.indicators_csv",
    "GET,POST /studio/indicateurs/cibles studio.targets",
    "POST /studio/indicateurs/livraisons/<int:delivery_id>/relancer studio.replay_delivery",
    "GET /studio/parcours/<slug:slug>/carte studio.journey_map",
    # what citizens tell the staff from the plan page (app/studio/feedback.py): open to everyone
    "GET /avis/merci feedback.thanks",
    "GET,POST /avis/parcours/<slug:journey_id>/etape feedback.step_report",
    "POST /avis/parcours/<slug:journey_id>/utile feedback.helpful",
    "GET,POST /avis/plainte feedback.complaint",
    # the questionnaire again, on drafts, for staff only (app/runner/mode.py, app/studio/preview.py)
    "GET /studio/apercu/ preview.home",
    "GET /studio/apercu/parcours/<slug:journey_id> preview.start",
    "POST /studio/apercu/parcours/<slug:journey_id>/commencer preview.begin",
    "GET,POST /studio/apercu/parcours/<slug:journey_id>/questions/<ident:group_id>/<int:index>/<ident:question_id> "
    "preview.item_question",
    "GET,POST /studio/apercu/parcours/<slug:journey_id>/questions/<ident:group_id>/<int:index>/retirer "
    "preview.remove_item",
    "GET,POST /studio/apercu/parcours/<slug:journey_id>/questions/<ident:question_id> preview.question",
    "GET /studio/apercu/parcours/<slug:journey_id>/resultat preview.result",
    "GET /studio/apercu/parcours/<slug:journey_id>/resultat.ics preview.calendar_file",
    "GET,POST /studio/apercu/parcours/<slug:journey_id>/verifier preview.check",
}


def _route_lines(app) -> set[str]:
    lines = set()
    for rule in app.url_map.iter_rules():
        methods = ",".join(sorted(rule.methods - {"HEAD", "OPTIONS"}))
        lines.add(f"{methods} {rule.rule} {rule.endpoint}")
    return lines


def test_every_id_in_a_url_has_a_typed_converter(app):
    untyped = []
    for rule in app.url_map.iter_rules():
        # Werkzeug keeps the converter of each argument in this (documented-in-source) mapping.
        for argument, converter in rule._converters.items():
            if (rule.endpoint, argument) in FREE_TEXT_ARGUMENTS:
                continue
            free_text = type(converter) in (UnicodeConverter, PathConverter)
            if free_text:
                kind = "an id" if ID_LIKE.search(argument) else "a free-text argument not listed"
                untyped.append(f"{rule.rule} ({rule.endpoint}): <{argument}> is {kind}; "
                               f"use <uuid:…>, <int:…> or a slug converter")
    assert not untyped, "\n".join(untyped)


def test_no_number_in_a_url_is_too_large_for_the_database(app):
    """Every `<int:…>` stops at 2³¹ − 1 (INTEGER columns): a larger number is a 404, not a database error."""
    numbers = [(rule.rule, converter) for rule in app.url_map.iter_rules()
               for converter in rule._converters.values() if isinstance(converter, IntegerConverter)]
    assert len(numbers) >= 5
    assert all(converter.max == 2**31 - 1 for _, converter in numbers), numbers


def test_the_route_inventory_is_up_to_date(app):
    served = _route_lines(app)
    added = sorted(served - ROUTE_INVENTORY)
    removed = sorted(ROUTE_INVENTORY - served)
    assert not added and not removed, (
        "the routes changed; update ROUTE_INVENTORY in tests/core/test_app_routes.py if this is intended\n"
        f"  new: {added}\n  gone: {removed}"
    )
