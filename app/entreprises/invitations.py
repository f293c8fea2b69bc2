"""Invitations to join a business: a signed, expiring, single-use mail link (itsdangerous, like the
account links in app/auth/tokens.py). The link names the invitation; accepting it requires being
signed in with the invited address, and an accepted invitation cannot be used again."""
from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.auth.mailer import _external
from app.auth.tokens import LinkProblem
from app.core import mail
from app.core.db import db
from app.entreprises.models import BusinessInvitation

INVITATION_SALT = "parcours.business-invitation"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT)


def invitation_token(invitation: BusinessInvitation) -> str:
    return _serializer().dumps({"inv": invitation.id})


def invitation_for(token: str) -> BusinessInvitation | LinkProblem:
    """The pending invitation a link is for, or a LinkProblem (expired, forged, or already used)."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["BUSINESS_INVITATION_MAX_AGE"])
    except SignatureExpired:
        return LinkProblem.EXPIRED
    except BadSignature:
        return LinkProblem.INVALID
    if not isinstance(data, dict) or not isinstance(data.get("inv"), str):
        return LinkProblem.INVALID
    invitation = db.session.get(BusinessInvitation, data["inv"])
    if invitation is None or invitation.accepted_at is not None:
        return LinkProblem.INVALID
    return invitation


def send_invitation(invitation: BusinessInvitation, business_name: str) -> None:
    link = _external("entreprises.accept_invitation", token=invitation_token(invitation))
    days = current_app.config["BUSINESS_INVITATION_MAX_AGE"] // 86400
    context = {"link": link, "business_name": business_name, "days": days}
    subject = gettext("You are invited to join %(name)s on Parcours", name=business_name)
    mail.send(invitation.email, subject,
              render_template("entreprises/mail/invitation.txt", **context),
              render_template("entreprises/mail/invitation.html", subject=subject, **context))
    mail.log_link("business invitation", link)
