"""`flask reminders send`: one digest per opted-in, confirmed citizen; run twice, mail once."""
from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.auth.testing import create_user
from app.core.db import db
from app.dossier.models import ReminderSend, StepProgress


def opt_in(app, user_id, value=True):
    with app.app_context():
        db.session.get(User, user_id).reminders_opt_in = value
        db.session.commit()


def send(app, today="2026-03-16"):
    result = app.test_cli_runner().invoke(args=["reminders", "send", "--today", today])
    assert result.exit_code == 0, result.output
    return result.output


def test_digest_lists_the_steps_due_in_seven_days_and_is_sent_once(app, user, make_run, mailbox):
    opt_in(app, user.id)
    make_run(user.id)  # declarer-naissance due 2026-03-22
    assert "1 mail(s), 1 step(s)" in send(app)
    [message] = mailbox.messages()
    assert message["To"] == "ana@example.ca"
    assert "vos étapes à faire dans les 7 prochains jours" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "22 mars 2026" in body and "/mon-dossier" in body
    assert "0 mail(s)" in send(app)
    assert len(mailbox.messages()) == 1
    with app.app_context():
        assert [r.step_id for r in db.session.execute(select(ReminderSend)).scalars()] == ["declarer-naissance"]


def test_no_mail_without_opt_in_when_unconfirmed_when_done_or_when_too_far(app, user, make_run, mailbox):
    run_id = make_run(user.id)
    send(app)  # not opted in
    opt_in(app, user.id)
    send(app, today="2026-03-01")  # due in 21 days: too far
    with app.app_context():
        unverified = create_user("bea@example.ca", verified=False)
        unverified.reminders_opt_in = True
        db.session.add(StepProgress(run_id=run_id, step_id="declarer-naissance", status="done"))
        db.session.commit()
        unverified_id = unverified.id
    make_run(unverified_id)
    send(app)  # Ana's step is done; Béa has not confirmed her address
    assert mailbox.messages() == []


def test_the_digest_follows_the_profile_language(app, client, user, make_run, mailbox, birth_answers):
    from app.dossier.models import Profile

    opt_in(app, user.id)
    with app.app_context():
        db.session.add(Profile(user_id=user.id, language="en"))
        db.session.commit()
    make_run(user.id, answers=dict(birth_answers))
    send(app)
    [message] = mailbox.messages()
    assert "your steps due in the next 7 days" in message["Subject"]


def test_a_failed_mail_records_nothing_so_the_next_run_tries_again(app, user, make_run, mailbox, monkeypatch):
    opt_in(app, user.id)
    make_run(user.id)

    def broken(*args, **kwargs):
        raise OSError("SMTP server unreachable")

    monkeypatch.setattr("app.dossier.reminders.mail.send", broken)
    result = app.test_cli_runner().invoke(args=["reminders", "send", "--today", "2026-03-16"])
    assert result.exit_code == 1 and "1 failure(s)" in result.output
    with app.app_context():
        assert db.session.execute(select(ReminderSend)).scalars().all() == []
    monkeypatch.undo()
    assert "1 mail(s)" in send(app)
