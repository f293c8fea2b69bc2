"""Account pages: register, verify the email, log in and out, forgotten password, session expiry."""
from __future__ import annotations

import hashlib
import logging

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app.auth import claiming, mailer, sessions, tokens
from app.auth.forms import (EmptyForm, ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm,
                            normalize_email)
from app.auth.limits import limiter
from app.auth.models import CITIZEN, User
from app.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from app.core import audit
from app.core.db import db, utcnow
from app.core.i18n import safe_next

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__, template_folder="templates", static_folder="static",
               static_url_path="/auth/static")


def _user_by_email(email: str) -> User | None:
    return db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def _after_login_url(target: str | None) -> str:
    # Browsers read "/\\evil.example" as "//evil.example": refuse backslashes as well as other sites.
    if target and ("\\" in target or any(ord(char) < 32 for char in target)):
        target = None
    return safe_next(target, url_for("dossier.home"))


# --- rate limits: only failures count -------------------------------------------------------------

def _account_hash() -> str | None:
    """A hash of the posted address, so the limiter's storage (Redis) holds no email address."""
    email = normalize_email(request.form.get("email"))
    return hashlib.sha256(email.encode()).hexdigest()[:32] if email else None


def _account_key() -> str:
    """The per-account ceiling's key: every address together, whoever tries."""
    account = _account_hash()
    return "account:" + account if account else "account-ip:" + get_remote_address()


def _account_and_ip_key() -> str:
    """The per-(account, IP) throttle's key: failures from elsewhere never block the owner's address."""
    return f"account-ip:{_account_hash() or '-'}:{get_remote_address()}"


def _login_failed(response) -> bool:
    return bool(g.get("login_failed"))


def _mail_sent(response) -> bool:
    return bool(g.get("account_mail_sent"))


def _limit(name: str):
    return lambda: current_app.config[name]


# --- registration ----------------------------------------------------------------------------------

class EmailTaken(Exception):
    """Another registration took this email address between our check and our insert."""


class NotSaved(Exception):
    """The database failed; everything was rolled back."""


@bp.route("/inscription", methods=["GET", "POST"])
@limiter.limit(_limit("ACCOUNT_EMAILS_PER_IP"), methods=["POST"], deduct_when=_mail_sent, scope="account-mail")
def register():
    """A new address and one already registered get the same answer (no enumeration): a mail goes to
    the address either way (confirm it, or "someone tried to create an account with your address"),
    nobody is signed in, and both ways cost one password hash."""
    if current_user.is_authenticated:
        return redirect(url_for("dossier.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        email = normalize_email(form.email.data)
        problem = password_problem(form.password.data, email)
        if problem:
            form.password.errors.append(problem)
        else:
            existing, user = _user_by_email(email), None
            try:
                user = None if existing else _create_account(email, form.password.data)
            except EmailTaken:
                existing = _user_by_email(email)
            except NotSaved:
                return render_template("auth/register.html", form=form, failed=True), 500
            if user is not None:
                _send_verification(user)
            elif existing is not None:
                hash_password(form.password.data)  # the work a new account costs
                g.account_mail_sent = True
                audit.record("account.registration_for_existing", existing.id)
                db.session.commit()
                mailer.send_account_exists(existing)
            return redirect(url_for("auth.check_email"))
    return render_template("auth/register.html", form=form, failed=False)


def _create_account(email: str, password: str) -> User:
    """One transaction: the user and the audit event. On any database error nothing is saved.
    The visitor is not signed in: they sign in with their password (which claims their runs)."""
    try:
        user = User(email=email, password_hash=hash_password(password), roles=[CITIZEN])
        db.session.add(user)
        db.session.flush()
        audit.record("account.registered", user.id)
        db.session.commit()
        return user
    except IntegrityError as error:
        db.session.rollback()
        raise EmailTaken from error
    except SQLAlchemyError as error:
        # Only the error's type: its message would carry the SQL parameters (the email address).
        log.error("registration failed and was rolled back (%s)", type(error).__name__)
        db.session.rollback()
        raise NotSaved from error


def _send_verification(user: User) -> None:
    g.account_mail_sent = True
    mailer.send_verification(user, tokens.verification_token(user))


@bp.route("/inscription/verifiez-vos-courriels")
def check_email():
    return render_template("auth/check_email.html")


@bp.route("/courriel/verifier/<token>")
def verify_email(token: str):
    user = tokens.user_for_verification(token, lambda uid: db.session.get(User, uid))
    if isinstance(user, tokens.LinkProblem):
        return render_template("auth/link_problem.html", problem=user.value, kind="verify"), 400
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        audit.record("account.email_verified", user.id)
        db.session.commit()
    return render_template("auth/email_verified.html")


@bp.route("/courriel/renvoyer", methods=["POST"])
@login_required
@limiter.limit(_limit("ACCOUNT_EMAILS_PER_IP"), deduct_when=_mail_sent, scope="account-mail")
def resend_verification():
    if not current_user.is_verified:
        _send_verification(current_user)
    return redirect(url_for("auth.check_email"))


# --- login and logout -----------------------------------------------------------------------------

@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(_limit("LOGIN_FAILURES_PER_IP"), methods=["POST"], deduct_when=_login_failed, scope="login-ip")
@limiter.limit(_limit("LOGIN_FAILURES_PER_ACCOUNT_AND_IP"), methods=["POST"], key_func=_account_and_ip_key,
               deduct_when=_login_failed, scope="login-account-ip")
@limiter.limit(_limit("LOGIN_FAILURES_PER_ACCOUNT"), methods=["POST"], key_func=_account_key,
               deduct_when=_login_failed, scope="login-account")
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated:
        return redirect(_after_login_url(form.next.data))
    if form.validate_on_submit():
        user = _user_by_email(normalize_email(form.email.data))
        if verify_password(user.password_hash if user else None, form.password.data):
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(form.password.data)
            claimed = claiming.claim_session_runs(user)
            sessions.start(user)
            claiming.restore_user_runs(user)
            audit.record("account.login", user.id, claimed_runs=claimed)
            db.session.commit()
            return redirect(_after_login_url(form.next.data))
        g.login_failed = True
        audit.record("account.login_failed", user.id if user else None)
        db.session.commit()
        form.password.errors.append(gettext("The email address or the password is not right."))
    return render_template("auth/login.html", form=form)


@bp.route("/deconnexion", methods=["POST"])
def logout():
    user_id = current_user.get_id() if current_user.is_authenticated else None
    sessions.end()
    if user_id:
        audit.record("account.logout", int(user_id))
    db.session.commit()
    return redirect(url_for("auth.logged_out"))


@bp.route("/deconnecte")
def logged_out():
    return render_template("auth/logged_out.html")


# --- forgotten password ---------------------------------------------------------------------------

@bp.route("/mot-de-passe/oublie", methods=["GET", "POST"])
@limiter.limit(_limit("ACCOUNT_EMAILS_PER_IP"), methods=["POST"], deduct_when=_mail_sent, scope="account-mail")
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email = normalize_email(form.email.data)
        user = _user_by_email(email)
        g.account_mail_sent = True
        # The same answer, the same work (one mail) whether or not an account exists: neither this page
        # nor its timing may reveal who is registered.
        if user is not None:
            mailer.send_reset(user, tokens.reset_token(user))
        else:
            mailer.send_no_account(email)
        return render_template("auth/reset_sent.html")
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/mot-de-passe/nouveau/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = tokens.user_for_reset(token, lambda uid: db.session.get(User, uid))
    if isinstance(user, tokens.LinkProblem):
        return render_template("auth/link_problem.html", problem=user.value, kind="reset"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        problem = password_problem(form.password.data, user.email)
        if problem:
            form.password.errors.append(problem)
        else:
            user.password_hash = hash_password(form.password.data)
            # Following the link proves the mailbox is theirs.
            user.email_verified_at = user.email_verified_at or utcnow()
            sessions.end_all_for(user.id)
            sessions.end()
            audit.record("account.password_reset", user.id)
            db.session.commit()
            return redirect(url_for("auth.password_changed"))
    return render_template("auth/reset_password.html", form=form, token=token)


@bp.route("/mot-de-passe/modifie")
def password_changed():
    return render_template("auth/password_changed.html")


# --- idle sessions --------------------------------------------------------------------------------

@bp.route("/session/expiree")
def session_expired():
    return render_template("auth/session_expired.html")


@bp.route("/session/avertissement")
@login_required
def session_warning():
    minutes = max(1, sessions.seconds_left() // 60)
    return render_template("auth/session_warning.html", minutes=minutes, form=EmptyForm(),
                           next=_after_login_url(request.args.get("next")))


@bp.route("/session/prolonger", methods=["POST"])
@login_required
def extend_session():
    row = sessions.current_login_session()
    if row is not None:
        row.last_seen_at = utcnow()
        db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        return {"seconds_left": sessions.seconds_left()}
    return redirect(_after_login_url(request.form.get("next")))


@bp.app_errorhandler(429)
def too_many_attempts(error):
    return render_template("auth/too_many_attempts.html"), 429
