"""`flask deliveries work|list|replay`: the delivery worker and the dead-letter tools for staff."""
from __future__ import annotations

import logging
import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app.core import audit
from app.core.db import db, utcnow
from app.declarations.models import DEAD, FAILED, PENDING, Declaration, Delivery
from app.declarations.worker import DeliveryWorker, Settings


@click.group("deliveries")
def deliveries_cli():
    """Déclaration unique: deliveries to the partner registries."""


@deliveries_cli.command("work")
@click.option("--batch-size", type=int, default=None, help="Deliveries claimed at a time.")
@click.option("--concurrency", type=int, default=1, show_default=True, help="Parallel HTTP calls per batch.")
@click.option("--once", is_flag=True, help="Work through what is due now, then stop.")
@with_appcontext
def work(batch_size: int | None, concurrency: int, once: bool) -> None:
    """Deliver due deliveries until SIGTERM/SIGINT (the batch in hand is finished and saved first)."""
    if not logging.getLogger().handlers:  # one line per delivery: ids, registry, outcome (no personal data)
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    worker = DeliveryWorker(Settings.from_config(current_app.config, batch_size=batch_size,
                                                 concurrency=concurrency))
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    click.echo("delivery worker: started", err=True)
    try:
        if once:
            while not stop.is_set() and worker.run_once():
                pass
        else:
            worker.run(stop)
    finally:
        worker.close()
    click.echo("delivery worker: stopped cleanly", err=True)


@deliveries_cli.command("list")
@click.option("--failed", is_flag=True, help="Only failed (refused) and dead-lettered deliveries.")
@click.option("--limit", type=int, default=100, show_default=True)
@with_appcontext
def list_deliveries(failed: bool, limit: int) -> None:
    """One line per delivery: id, declaration number, registry, status, attempts, reference or reason."""
    query = select(Delivery, Declaration.number).join(Declaration).order_by(Delivery.id.desc()).limit(limit)
    if failed:
        query = query.where(Delivery.status.in_((FAILED, DEAD)))
    rows = db.session.execute(query).all()
    if not rows:
        click.echo("No deliveries." if not failed else "No failed deliveries.")
        return
    click.echo(f"{'ID':>6}  {'DECLARATION':<18} {'REGISTRY':<17} {'STATUS':<10} {'TRIES':>5}  DETAIL")
    for delivery, number in rows:
        detail = delivery.reference if delivery.status == "delivered" else (delivery.last_error or "")
        if delivery.status == PENDING:
            detail = f"next attempt {delivery.next_attempt_at:%Y-%m-%d %H:%M:%S}" + (
                f" (last: {delivery.last_error})" if delivery.last_error else "")
        click.echo(f"{delivery.id:>6}  {number:<18} {delivery.partner:<17} {delivery.status:<10} "
                   f"{delivery.attempts:>5}  {detail}")


@deliveries_cli.command("replay")
@click.argument("delivery_ids", type=int, nargs=-1)
@click.option("--all-dead", is_flag=True, help="Every dead-lettered delivery (registry unreachable).")
@with_appcontext
def replay(delivery_ids: tuple[int, ...], all_dead: bool) -> None:
    """Queue dead-lettered or refused deliveries again (same payload, same idempotency key)."""
    if all_dead == bool(delivery_ids):
        raise click.UsageError("Give delivery ids or --all-dead (not both).")
    if all_dead:
        rows = db.session.execute(select(Delivery).where(Delivery.status == DEAD).order_by(Delivery.id)).scalars().all()
    else:
        rows = []
        for delivery_id in delivery_ids:
            delivery = db.session.get(Delivery, delivery_id)
            if delivery is None:
                raise click.ClickException(f"No delivery {delivery_id}.")
            if delivery.status not in (DEAD, FAILED):
                raise click.ClickException(
                    f"Delivery {delivery_id} is {delivery.status}: only failed or dead ones replay.")
            rows.append(delivery)
    now = utcnow()
    for delivery in rows:
        previous = delivery.status
        delivery.status, delivery.attempts, delivery.claims, delivery.next_attempt_at = PENDING, 0, 0, now
        delivery.claim_token, delivery.ops_notified_at = None, None
        audit.record("delivery.replayed", None, delivery_id=delivery.id, previous_status=previous)
    db.session.commit()
    if not rows:
        click.echo("No dead deliveries to replay.")
    for delivery in rows:
        click.echo(f"Delivery {delivery.id} queued again.")
