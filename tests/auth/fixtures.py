"""Account fixtures shared by every test folder (a pytest plugin): a private mail folder and users."""
from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.auth.testing import STRONG_PASSWORD, create_user


@pytest.fixture
def mailbox(app, tmp_path):
    """The .eml files the app writes during this test, parsed."""
    previous = app.config["MAIL_DIR"]
    app.config["MAIL_DIR"] = str(tmp_path / "mail")

    class Mailbox:
        def messages(self):
            folder = Path(app.config["MAIL_DIR"])
            files = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns) if folder.exists() else []
            return [BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in files]

        def links(self):
            found = []
            for message in self.messages():
                text = message.get_body(preferencelist=("plain",)).get_content()
                found += re.findall(r"https?://\S+", text)
            return found

    yield Mailbox()
    app.config["MAIL_DIR"] = previous


@pytest.fixture
def user(app):
    """A verified citizen (id and email only: the ORM object would outlive its session)."""
    with app.app_context():
        created = create_user()
        return SimpleNamespace(id=created.id, email=created.email)


@pytest.fixture
def password():
    return STRONG_PASSWORD
