""""Mes données" as a citizen reads it: dates in words in their language, journeys, questions and
steps by their names, answers as said, and the log in plain words — no internal ids, no JSON.

The downloadable file (views.my_data_json) keeps the exact data; this only shapes the page."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date, format_datetime, gettext

from app.runner.display import human_answer


def when(value: str | None) -> str | None:
    """'2026-03-01T14:05:00+00:00' -> '1 mars 2026 à 09 h 05' (the reader's language and time zone)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return format_datetime(moment, "medium")


def day(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return format_date(date.fromisoformat(value), "long")
    except ValueError:
        return value


def action_label(action: str) -> str:
    """What a log entry means, in words; an unknown one keeps its code (never hidden)."""
    labels = {
        "account.registered": gettext("Account created"),
        "account.email_verified": gettext("Email address confirmed"),
        "account.login": gettext("Signed in"),
        "account.login_failed": gettext("Failed sign-in attempt"),
        "account.logout": gettext("Signed out"),
        "account.password_reset": gettext("Password changed"),
        "account.data_exported": gettext("Your data downloaded"),
        "profile.updated": gettext("Profile changed"),
        "profile.keys_rotated": gettext("Protection of your profile renewed"),
        "declaration.submitted": gettext("Declaration sent"),
        "form_draft_saved": gettext("Form draft saved"),
        "form_draft_deleted": gettext("Form draft deleted"),
        "form_pdf_downloaded": gettext("Form downloaded as PDF"),
        "government_lookup": gettext("Government organisations consulted"),
        "government_reads_deleted": gettext("Information read from organisations deleted"),
        "reminders.sent": gettext("Reminder sent by email"),
        "run.deleted": gettext("Journey deleted"),
    }
    return labels.get(action, action)


def _plain(value) -> str:
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_plain(item)}" for key, item in value.items())
    return str(value)


def details(event: dict) -> str:
    """A log entry's details as words, journey and form ids kept out."""
    shown = {key: value for key, value in (event.get("details") or {}).items()
             if not key.endswith("_id") and key not in ("id", "run", "draft")}
    return _plain(shown) if shown else ""


def runs(data: dict, journeys) -> list[dict]:
    """Each journey: title, dates, status, answers by question, ticks and reminders by step title.

    `journeys(journey_id, version)` gives the compiled journey (None when no longer known)."""
    shown = []
    for run in data.get("runs", []):
        journey = journeys(run["journey_id"], run["journey_version"])
        definition = journey.journey if journey is not None else None
        questions = {q.id: q for q in definition.questions} if definition else {}
        steps = {step.id: step.title for step in definition.steps} if definition else {}
        answers = []
        for key, value in (run.get("answers") or {}).items():
            question = questions.get(key)
            if question is not None and question.type == "group":
                for index, item in enumerate(value or []):
                    for sub in question.questions:
                        if sub.id in item:
                            answers.append(((question.item_label or question.label), index + 1, sub.label,
                                            human_answer(sub, item[sub.id])))
            elif question is not None:
                answers.append((None, None, question.label, human_answer(question, value)))
            else:
                answers.append((None, None, {"fr": key}, _plain(value)))
        shown.append({
            "title": definition.title if definition else {"fr": run["journey_id"]},
            "status": gettext("Completed") if run["status"] == "completed" else gettext("In progress"),
            "created": when(run.get("created_at")), "updated": when(run.get("updated_at")),
            "answers": answers,
            "ticks": [(steps.get(row["step_id"], {"fr": row["step_id"]}),
                       gettext("done") if row["status"] == "done" else gettext("does not apply"))
                      for row in data.get("step_progress", []) if row["run_id"] == run["id"]],
            "reminders": [(steps.get(row["step_id"], {"fr": row["step_id"]}), day(row["due_date"]), when(row["sent_at"]))
                          for row in data.get("reminders_sent", []) if row["run_id"] == run["id"]],
        })
    return shown
