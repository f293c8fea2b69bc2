"""The operations mailbox: staff are told about every refused or dead-lettered delivery.

A delivery is reported once: the rows are marked (`ops_notified_at`) in the same UPDATE that picks
them, so two workers never report the same one, and the marks are taken back if the mail cannot be
sent. The mail names the declaration number, the registry and the reason, never personal data.
The citizen's page says "our team has been told" only for a delivery that was really reported.
"""
from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale, gettext
from sqlalchemy import select, update

from app.core import mail
from app.core.db import db
from app.declarations.models import DEAD, FAILED, Declaration, Delivery

log = logging.getLogger(__name__)
deliveries = Delivery.__table__


def report_unreported(mailbox: str, now: datetime, limit: int = 200) -> int:
    picked = (select(deliveries.c.id)
              .where(deliveries.c.status.in_((FAILED, DEAD)), deliveries.c.ops_notified_at.is_(None))
              .order_by(deliveries.c.id).limit(limit)
              .with_for_update(skip_locked=True))
    ids = db.session.execute(update(deliveries).where(deliveries.c.id.in_(picked.scalar_subquery()))
                             .values(ops_notified_at=now).returning(deliveries.c.id)).scalars().all()
    db.session.commit()
    if not ids:
        return 0
    rows = db.session.execute(
        select(Delivery.id, Delivery.partner, Delivery.status, Delivery.attempts, Delivery.last_error,
               Declaration.number)
        .join(Declaration).where(Delivery.id.in_(ids)).order_by(Delivery.id)).all()
    try:
        # The layout's helpers are request-bound even in a mail template: give them a request.
        with current_app.test_request_context("/"), force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            subject = gettext("Parcours: %(count)s deliveries need attention", count=len(rows))
            body = render_template("declarations/mail/operations.txt", rows=rows)
        mail.send(mailbox, subject, body)
    except Exception:  # noqa: BLE001 - a mail server down must not lose the report: try again later
        log.exception("operations mailbox: report of %s deliveries not sent, will retry", len(ids))
        db.session.execute(update(deliveries).where(deliveries.c.id.in_(ids)).values(ops_notified_at=None))
        db.session.commit()
        return 0
    log.info("operations mailbox: reported deliveries %s", ", ".join(str(i) for i in ids))
    return len(ids)
