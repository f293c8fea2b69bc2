"""`flask users …`: staff accounts from the command line.

`create-staff EMAIL --role editor|publisher|admin` creates a verified staff account (or gives the
role to an existing account). The password is typed at a hidden prompt, or generated with
`--generate` and shown once on the terminal only: it is never written to a log.
"""
from __future__ import annotations

import secrets

import click
from flask.cli import with_appcontext

from app.auth.models import ADMIN, STAFF_EDITOR, STAFF_PUBLISHER

STAFF_ROLES = {"editor": [STAFF_EDITOR], "publisher": [STAFF_EDITOR, STAFF_PUBLISHER],
               "admin": [STAFF_EDITOR, STAFF_PUBLISHER, ADMIN]}


@click.group("users")
def users() -> None:
    """Accounts."""


@users.command("create-staff")
@click.argument("email")
@click.option("--role", type=click.Choice(sorted(STAFF_ROLES)), required=True,
              help="editor: edits drafts; publisher: also publishes; admin: everything.")
@click.option("--generate", is_flag=True, help="Generate a strong password and show it once.")
@with_appcontext
def create_staff(email: str, role: str, generate: bool) -> None:
    from sqlalchemy import select

    from app.auth.models import User
    from app.auth.passwords import hash_password, password_problem
    from app.core import audit
    from app.core.db import db, utcnow

    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise click.BadParameter("an email address, like nom@quebec.ca", param_hint="EMAIL")
    user = db.session.execute(select(User).filter_by(email=email)).scalar_one_or_none()
    password = None
    if user is None:
        if generate:
            password = secrets.token_urlsafe(18)
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
            problem = password_problem(password, email)
            if problem:
                raise click.ClickException(problem)
        user = User(email=email, password_hash=hash_password(password), roles=[], email_verified_at=utcnow())
        db.session.add(user)
    roles = [r for r in (user.roles or []) if r not in (STAFF_EDITOR, STAFF_PUBLISHER, ADMIN)]
    user.roles = roles + STAFF_ROLES[role]
    db.session.flush()
    audit.record("users.staff_role_set", None, target_user=user.id, role=role)
    db.session.commit()
    click.echo(f"{email}: {role}")
    if generate and password:
        # Straight to the terminal of whoever ran the command, never through logging.
        click.echo(f"Password (shown once, give it to the person by a safe channel): {password}")
