"""Load test of moving day (1 July): citizens walk the whole Déménager journey under locust.

    .venv/bin/python bench/moving_day.py [--users 200] [--duration 60] [--workers 4]

Serves Parcours as production would, on 127.0.0.1: a throw-away PostgreSQL database (random
name, dropped at the end), the portal under gunicorn with `gunicorn.conf.py`, the partner
registries under gunicorn, and `--workers` delivery workers (`flask deliveries work`). Then
`--users` simulated citizens (locust, headless, as a library) each, again and again:
home page, start, every question the pages ask (answers from the journey's scenario files, matched
to the fields each page shows, so a changed journey is followed, not hard-coded), check answers,
the plan, its .ics, sign-up (and the verification link from the mail), profile (name, birth
date, social insurance number), and the déclaration unique with every consent.

Reports journeys completed per minute, p95 per page, errors (must be 0) and whether the
deliveries of every declaration made were drained to the registries after the load. The last
line is one JSON object; exits 1 on any error or undrained delivery.
"""
from __future__ import annotations

# locust patches the standard library with gevent: before anything else is imported.
from gevent import monkey  # isort: skip

monkey.patch_all()

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from email import message_from_bytes  # noqa: E402
from email.policy import default as default_policy  # noqa: E402
from urllib.parse import urljoin, urlsplit  # noqa: E402

import gevent  # noqa: E402
import httpx  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402
from locust import HttpUser, between, task  # noqa: E402
from locust.env import Environment  # noqa: E402

# Throw-away servers with generated secrets: development mode, as under `make bench`, even when the
# script is run by hand (production mode refuses to start without its secrets).
os.environ.setdefault("PARCOURS_ENV", "development")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
PG_SERVER = "host=127.0.0.1 port=5432 user=postgres"
JOURNEY = "demenager"
MAX_PAGES = 80
PROFILE = {"given_names": "Camille", "family_name": "Tremblay", "birth_date": "1988-04-12", "sin": "046 454 286",
           "address.street": "4500, rue Saint-Denis", "address.city": "Montréal", "postal_code": "H2J 2L3",
           "province": "QC", "phone": "514 555-1234"}
_children: list[subprocess.Popen] = []
SETTINGS: dict = {}
completed = itertools.count()
journeys_done = [0]
requests_per_journey: list[int] = []


# --- the citizen ---------------------------------------------------------------------------------

def _scenarios() -> list[dict]:
    from app.journeys.scenarios import load_scenarios

    return [s.answers for s in load_scenarios(ROOT / "journeys" / "tests", JOURNEY)]


def _form_fields(form) -> list:
    return form.find_all(["input", "select", "textarea", "button"])


def _answer_payload(form, answers_for) -> list[tuple[str, str]]:
    """The form's fields filled from the scenario's answers (by the field names the page shows)."""
    payload = []
    for tag in _form_fields(form):
        name = tag.get("name")
        if not name:
            continue
        kind = (tag.get("type") or "text").lower() if tag.name == "input" else tag.name
        if kind in ("hidden",):
            payload.append((name, tag.get("value", "")))
            continue
        if kind in ("submit", "button") or tag.name == "button":
            continue
        question, _, part = name.partition(".")
        value = answers_for(question)
        if isinstance(value, dict):
            value = value.get(part) or ("QC" if part == "province" else "")
        if kind == "radio":
            wanted = "oui" if value is True else "non" if value is False else str(value)
            if tag.get("value") == wanted:
                payload.append((name, wanted))
        elif kind == "checkbox":
            if isinstance(value, list) and tag.get("value") in value:
                payload.append((name, tag["value"]))
        elif value is not None:
            payload.append((name, str(value)))
    return payload


class Citizen(HttpUser):
    """One person moving house: the whole journey, signed up at the end, declaration sent."""

    wait_time = between(0.5, 2.0)

    def on_start(self):
        self.scenarios = SETTINGS["scenarios"]

    def page(self, method: str, url: str, name: str, **kwargs):
        self.requests_made += 1
        with self.client.request(method, url, name=name, catch_response=True, allow_redirects=True,
                                 **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"{method} {name}: {response.status_code}")
                raise StopJourney(name, counted=True)
            return response

    def think(self):
        gevent.sleep(random.uniform(0.5, 2.0))

    @task
    def move_house(self):
        try:
            self._journey()
        except StopJourney as stop:
            if not stop.counted:  # a page answered 200 but not what a citizen needs to go on
                self.environment.events.request.fire(request_type="JOURNEY", name=stop.args[0], response_time=0,
                                                     response_length=0, exception=stop, context={})

    def _journey(self):
        answers = dict(random.choice(self.scenarios))
        self.client.cookies.clear()
        self.requests_made = 0
        home = self.page("GET", "/", "home")
        start = self.page("GET", f"/parcours/{JOURNEY}", "start page")
        token = _csrf(start.text)
        self.think()
        page = self.page("POST", f"/parcours/{JOURNEY}/commencer", "start", data={"csrf_token": token})
        added: dict[str, int] = {}
        for _ in range(MAX_PAGES):
            path = urlsplit(page.url).path
            if path.endswith("/verifier"):
                break
            self.think()
            page = self._answer(page, path, answers, added)
        else:
            raise StopJourney("the journey did not reach the check page")
        check = BeautifulSoup(page.text, "html.parser")
        see_plan = check.find(id="see-plan")
        self.think()
        if see_plan is not None and see_plan.name == "a":
            plan = self.page("GET", urljoin(page.url, see_plan["href"]), "plan")
        else:
            form = see_plan.find_parent("form") if see_plan is not None else check.find("form", method="post")
            plan = self.page("POST", urljoin(page.url, form.get("action") or page.url), "check answers",
                             data=_answer_payload(form, lambda q: None))
        if not urlsplit(plan.url).path.endswith("/resultat"):
            raise StopJourney("plan")
        self.page("GET", f"/parcours/{JOURNEY}/resultat.ics", "plan .ics")
        self.think()
        self._sign_up()
        self._profile()
        self._declare()
        journeys_done[0] += 1
        requests_per_journey.append(self.requests_made)

    def _answer(self, page, path, answers, added):
        soup = BeautifulSoup(page.text, "html.parser")
        item = re.search(r"/questions/([a-z0-9_]+)/(\d+)/([a-z0-9_]+)$", path)
        question = re.search(r"/questions/([a-z0-9_]+)$", path)
        if item:
            group, index = item.group(1), int(item.group(2))
            values = (answers.get(group) or [{}])[index] if index < len(answers.get(group) or []) else {}
            answers_for = values.get
            name = "group item question"
        elif question and soup.find(id="add-item") is not None:  # a repeating group's page
            group = question.group(1)
            if added.get(group, 0) < len(answers.get(group) or []):
                added[group] = added.get(group, 0) + 1
                return self.page("GET", urljoin(page.url, soup.find(id="add-item")["href"]), "group page")
            answers_for = answers.get
            name = "group page"
        elif question:
            answers_for = answers.get
            name = "question"
        else:
            raise StopJourney(f"unexpected page while answering: {path}")
        form = soup.find("form", id="question-form") or soup.find("form", method="post")
        if form is None:
            raise StopJourney(f"no form on {path}")
        response = self.page("POST", urljoin(page.url, form.get("action") or page.url), name,
                             data=_answer_payload(form, answers_for))
        if urlsplit(response.url).path == path:  # the same page again: the answer was refused
            raise StopJourney(f"answer refused on {path}")
        return response

    def _sign_up(self):
        form = self.page("GET", "/inscription", "sign-up page")
        email = f"citoyen-{secrets.token_hex(8)}@example.org"
        done = self.page("POST", "/inscription", "sign-up", data={
            "csrf_token": _csrf(form.text), "email": email, "password": "Déménagement-1er-juillet-2026!"})
        if "/inscription" in urlsplit(done.url).path and "verifiez" not in done.url:
            raise StopJourney("sign-up")
        link = _verification_link(email)
        if link is not None:
            self.page("GET", link, "verify e-mail")

    def _profile(self):
        page = self.page("GET", "/mon-dossier/profil", "profile page")
        form = BeautifulSoup(page.text, "html.parser").find("form", method="post")
        saved = self.page("POST", "/mon-dossier/profil", "profile", data=_answer_payload(
            form, lambda name: None) + [(k, v) for k, v in PROFILE.items()
                                         if form.find(attrs={"name": k}) is not None])
        if "enregistre=1" not in saved.url:
            raise StopJourney("profile")

    def _declare(self):
        page = self.page("GET", f"/parcours/{JOURNEY}/declaration", "declaration review")
        form = next((f for f in BeautifulSoup(page.text, "html.parser").find_all("form", method="post")
                     if f.find(attrs={"name": "attestation"})), None)
        if form is None:
            raise StopJourney("declaration review")
        payload = [(t["name"], t.get("value", "")) for t in form.find_all("input", type="hidden") if t.get("name")]
        consents = [(t["name"], t["value"]) for t in form.find_all("input", type="checkbox")
                    if t.get("name", "").startswith("consent-")]
        if not consents:  # nothing this citizen's answers let Parcours send: the plan is enough
            return
        payload += consents + [("attestation", "oui")]
        self.think()
        sent = self.page("POST", f"/parcours/{JOURNEY}/declaration", "declaration send", data=payload)
        if "/mon-dossier/declarations/" not in sent.url:
            raise StopJourney("declaration")


class StopJourney(Exception):
    def __init__(self, what: str, counted: bool = False):
        super().__init__(what)
        self.counted = counted


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if match is None:
        raise StopJourney("no CSRF token")
    return match.group(1)


def _verification_link(email: str) -> str | None:
    """The link of the verification mail (the file mail backend writes one .eml per message)."""
    mail_dir = Path(SETTINGS["mail_dir"])
    for _ in range(20):
        for path in sorted(mail_dir.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True)[:50]:
            message = message_from_bytes(path.read_bytes(), policy=default_policy)
            if email not in str(message.get("To", "")):
                continue
            body = message.get_body(preferencelist=("plain", "html")).get_content()
            match = re.search(r"https?://[^\s\"<>]+/courriel/verifier/[A-Za-z0-9._~\-]+", body)
            return urlsplit(match.group(0)).path if match else None
        gevent.sleep(0.1)
    return None


# --- servers ------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                             start_new_session=True)
    _children.append(child)
    return child


def wait_for(url: str, child: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise SystemExit(f"{url} stopped at start-up:\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer in 90 s")


def stop_all() -> None:
    for child in reversed(_children):
        if child.poll() is None:
            try:
                os.killpg(child.pid, signal.SIGTERM)
                child.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(child.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
    _children.clear()


def outbox_state(dsn: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(dsn) as connection:
        rows = connection.execute("SELECT status, count(*) FROM deliveries GROUP BY status").fetchall()
    return dict(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--duration", type=float, default=180,
                        help="seconds of load (a citizen takes a few minutes per journey)")
    parser.add_argument("--workers", type=int, default=4, help="delivery worker processes")
    parser.add_argument("--drain-seconds", type=float, default=120)
    options = parser.parse_args()

    import psycopg

    name = f"parcours_bench_{secrets.token_hex(6)}"
    with psycopg.connect(PG_SERVER + " dbname=postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        admin.execute(f'CREATE DATABASE "{name}_registries"')
    work = Path(tempfile.mkdtemp(prefix="parcours-moving-day-"))
    port, registries_port = free_port(), free_port()
    dsn = f"{PG_SERVER} dbname={name}"
    env = {**os.environ, "FLASK_APP": "app",
           "PARCOURS_SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://postgres@{HOST}:5432/{name}",
           "PARCOURS_PARTNERS_DATABASE_URL": f"postgresql+psycopg://postgres@{HOST}:5432/{name}_registries",
           "PARCOURS_PARTNERS_BASE_URL": f"http://{HOST}:{registries_port}/partenaires",
           "PARCOURS_SECRET_KEY": secrets.token_hex(32), "PARCOURS_PARTNER_HMAC_SECRET": secrets.token_hex(16),
           "PARCOURS_MAIL_DIR": str(work / "mail"), "PARCOURS_PUBLIC_BASE_URL": f"http://{HOST}:{port}",
           # one IP sends every citizen's sign-up here: the per-IP limit of a real crowd does not apply
           "PARCOURS_ACCOUNT_EMAILS_PER_IP": "1000000 per hour",
           "PARCOURS_STATIC_BUILD_DIR": str(work / "static-build"), "GUNICORN_LOG_LEVEL": "warning"}
    SETTINGS.update(scenarios=_scenarios(), mail_dir=str(work / "mail"))
    failures = []
    try:
        for args in (["db", "upgrade"], ["journeys", "load"], ["assets", "build"]):
            done = subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        registries = start([str(BIN / "gunicorn"), "-w", "2", "-k", "gthread", "--threads", "8",
                            "-b", f"{HOST}:{registries_port}", "app.partners.wsgi:application"], env, work / "registries.log")
        wait_for(f"http://{HOST}:{registries_port}/partenaires/", registries, work / "registries.log")
        portal = start([str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "-b", f"{HOST}:{port}",
                        "app.wsgi:application"], env, work / "portal.log")
        wait_for(f"http://{HOST}:{port}/", portal, work / "portal.log")
        for index in range(options.workers):
            start([str(BIN / "flask"), "deliveries", "work"], env, work / f"worker-{index}.log")

        environment = Environment(user_classes=[Citizen], host=f"http://{HOST}:{port}")
        runner = environment.create_local_runner()
        print(f"{options.users} citizens on Déménager for {options.duration:.0f} s: gunicorn "
              f"({os.cpu_count()} sync workers), PostgreSQL, registries, {options.workers} delivery workers",
              flush=True)
        started = time.monotonic()
        runner.start(options.users, spawn_rate=options.spawn_rate)
        gevent.sleep(options.duration)
        runner.stop()
        elapsed = time.monotonic() - started
        stats = environment.stats

        deadline = time.monotonic() + options.drain_seconds
        state = outbox_state(dsn)
        while set(state) - {"delivered"} and time.monotonic() < deadline:
            gevent.sleep(1)
            state = outbox_state(dsn)
        undrained = sum(count for status, count in state.items() if status != "delivered")
        if undrained:
            failures.append(f"{undrained} deliveries not delivered after {options.drain_seconds:.0f} s: {state}")
        errors = stats.total.num_failures
        if errors:
            failures.append(f"{errors} failed requests: " + "; ".join(
                f"{e.name}: {e.error} x{e.occurrences}" for e in list(stats.errors.values())[:5]))
        pages = {entry.name: {"requests": entry.num_requests,
                              "p95_ms": entry.get_response_time_percentile(0.95),
                              "median_ms": entry.median_response_time, "failures": entry.num_failures}
                 for entry in sorted(stats.entries.values(), key=lambda e: e.name)}
        for page, figures in pages.items():
            print(f"  {page:22} {figures['requests']:6} requests, median {figures['median_ms']:6.0f} ms, "
                  f"p95 {figures['p95_ms']:6.0f} ms, failures {figures['failures']}")
        per_journey = sum(requests_per_journey) / len(requests_per_journey) if requests_per_journey else 0
        requests_per_s = stats.total.num_requests / elapsed
        result = {"users": options.users, "duration_s": round(elapsed, 1), "journeys_completed": journeys_done[0],
                  "journeys_per_minute": round(journeys_done[0] / elapsed * 60, 1),
                  "requests_per_s": round(requests_per_s, 1),
                  "requests_per_journey": round(per_journey, 1),
                  # what the servers sustained, in whole journeys (journeys still under way count too)
                  "capacity_journeys_per_minute": round(requests_per_s * 60 / per_journey, 1) if per_journey else None,
                  "errors": errors, "deliveries": state.get("delivered", 0), "deliveries_drained": not undrained,
                  "delivery_workers": options.workers, "p95_ms": {k: v["p95_ms"] for k, v in pages.items()}}
        for failure in failures:
            print(f"FAILED: {failure}", file=sys.stderr)
        print(json.dumps(result))
    finally:
        stop_all()
        with psycopg.connect(PG_SERVER + " dbname=postgres", autocommit=True) as admin:
            for database in (name, f"{name}_registries"):
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
