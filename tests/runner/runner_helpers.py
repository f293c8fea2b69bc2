"""Helpers for the runner tests: URLs of the test journey and a citizen answering it through the pages."""
from __future__ import annotations

from datetime import date

TODAY = date(2026, 3, 1)
JOURNEY = "essai-parcours"


def question_url(question_id: str, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/parcours/{JOURNEY}/questions/{question_id}" + (f"?{query}" if query else "")


def item_url(group_id: str, index: int, question_id: str) -> str:
    return f"/parcours/{JOURNEY}/questions/{group_id}/{index}/{question_id}"


def answer_all(client, *, event="naissance", day="2026-02-25", quebec="oui", income="45 000,50",
               children=("Léa",), needs=("garderie",)):
    """Answer the whole test journey through the pages, as a citizen would."""
    assert client.post(f"/parcours/{JOURNEY}/commencer").status_code == 302
    client.post(question_url("type_evenement"), data={"type_evenement": event})
    client.post(question_url("date_evenement"), data={"date_evenement": day})
    if event == "naissance":
        client.post(question_url("au_quebec"), data={"au_quebec": quebec})
        if quebec == "oui":
            client.post(question_url("hopital"), data={"hopital": "Sainte-Justine"})
    client.post(question_url("revenu"), data={"revenu": income})
    client.post(question_url("besoins"), data={"besoins": list(needs)})
    for index, name in enumerate(children):
        client.post(item_url("enfants", index, "prenom"), data={"prenom": name})
        client.post(item_url("enfants", index, "sexe"), data={"sexe": "f"})
    client.post(question_url("enfants"), data={})
    client.post(question_url("nouvelle_adresse"), data={})
    response = client.post(question_url("parent"), data={})
    return response
