"""HTTP benchmark: Parcours against a bare Flask hello-world, both under gunicorn on 127.0.0.1.

    .venv/bin/python bench/http.py [--duration 10] [--rounds 2] [--connections 4]

What it does, all on 127.0.0.1 and bounded in time:
1. migrates a throw-away SQLite database, stores the journeys (`flask journeys load`), and starts
   gunicorn (2 workers, `gthread` by default: keep-alive like a production proxy would use) with
   Parcours, and the same gunicorn settings with `bench/hello.py`;
2. prepares an anonymous run the way a citizen would (home page, start page, first question) and
   keeps its cookie and CSRF token;
3. for each round, drives with the same load generator for the same duration: hello-world GET, the
   question page GET, and the answer POST followed by its redirect (the same valid answer each
   time, so the run stays valid); `wrk` when installed (Debian: `apt-get install wrk`), otherwise a
   small multi-process keep-alive Python client;
4. reads each Parcours worker's resident memory (VmRSS) before the load and after every round.

The three measurements of a round are interleaved in short slices (2 s by default: hello, GET,
POST, hello, GET, POST, ...) so that on a shared machine both servers meet the same background
load; each figure is the mean over all slices of all rounds. The last line is one JSON object with
every figure. Both servers are stopped on exit, whatever happens.
"""
from __future__ import annotations

import sys
from pathlib import Path

# This file shares its name with the standard library's `http` package, which httpx and
# http.client need: never let this folder shadow it when the file is run as a script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402  (after the sys.path fix above)
import atexit
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from http.client import HTTPConnection
from urllib.parse import urljoin, urlsplit

import httpx
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
RSS_BUDGET_MB = 150
RSS_GROWTH_TOLERANCE_MB = 2  # allocator noise; a leak grows by far more over thousands of requests
_servers: list[subprocess.Popen] = []


# --- servers -----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(app_spec: str, *, chdir: Path, env: dict, worker_class: str, threads: int,
                   log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [str(BIN / "gunicorn"), "--workers", "2", "--worker-class", worker_class,
               "--threads", str(threads), "--bind", f"{HOST}:{port}", "--chdir", str(chdir),
               "--log-level", "warning", "--keep-alive", "5", app_spec]
    server = subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    _servers.append(server)
    base = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn {app_spec} stopped at start-up; see {log}:\n{log.read_text()[-2000:]}")
        try:
            status = httpx.get(base + "/", timeout=2).status_code
        except httpx.HTTPError:
            time.sleep(0.2)
            continue
        if status != 200:
            raise SystemExit(f"gunicorn {app_spec}: GET / gave {status}; see {log}:\n{log.read_text()[-1500:]}")
        break
    else:
        raise SystemExit(f"gunicorn {app_spec} did not answer within 60 s; see {log}")
    # Both workers must be up before we read their memory.
    while len(worker_pids(server.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    return server, base


def stop_servers() -> None:
    for server in _servers:
        if server.poll() is None:
            try:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(server.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
    _servers.clear()


def worker_pids(master_pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return []
    return sorted(int(pid) for pid in children)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def prepare_database(env: dict) -> None:
    for args in (["db", "upgrade"], ["journeys", "load"]):
        done = subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0 and args[0] == "db":
            raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        if done.returncode != 0:  # runs of the current version are served from the files anyway
            print(f"warning: flask {' '.join(args)} failed: {(done.stderr or done.stdout).strip().splitlines()[-1]}",
                  file=sys.stderr)


# --- an anonymous run, prepared like a citizen would -------------------------------------------

@dataclass
class PreparedRun:
    question_url: str  # the first question page, fetched by the GET measurement
    post_url: str      # where its form posts
    post_body: str     # a valid answer with the CSRF token, url-encoded
    redirect_url: str  # where the answer leads (the next question), fetched after each POST
    cookie: str        # the signed session cookie holding the run and the CSRF secret


def _question_types(journey_dir: Path, journey_id: str) -> dict[str, str]:
    """question id -> type, read from the journey file so the bench answers validly by type."""
    import yaml

    definition = yaml.safe_load((journey_dir / f"{journey_id}.yaml").read_text())
    types = {}
    for question in definition["questions"]:
        types[question["id"]] = question["type"]
        for item in question.get("questions", []):
            types[item["id"]] = item["type"]
    return types


def _valid_value(question_type: str, part: str = "") -> str:
    """A value the engine accepts for a field (`part`: the sub-field of an address or a person)."""
    if part == "postal_code":
        return "H2X 1Y4"
    if question_type == "date" or part.endswith("date"):
        return (date.today() - timedelta(days=10)).isoformat()
    if question_type == "number":
        return "1"
    return "Banc d'essai"


def _form_payload(form, types: dict[str, str]) -> dict[str, list[str]]:
    """A valid submission of a question form: the first option of a radio/checkbox, a typed value otherwise."""
    payload: dict[str, list[str]] = {}
    for tag in form.find_all(["input", "select", "textarea"]):
        name = tag.get("name")
        if not name:
            continue
        kind = tag.get("type", "text").lower() if tag.name == "input" else tag.name
        if kind == "hidden":
            payload.setdefault(name, []).append(tag.get("value", ""))
        elif kind in ("radio", "checkbox"):
            payload.setdefault(name, [tag.get("value", "on")])
        elif kind in ("submit", "button"):
            continue
        elif kind == "select":
            option = tag.find("option", attrs={"value": True})
            payload[name] = [option["value"] if option else ""]
        else:
            question_id, _, part = name.partition(".")
            payload[name] = [_valid_value(types.get(question_id, "text"), part)]
    return payload


def _is_question_form(form) -> bool:
    return form.get("method", "get").lower() == "post" and form.find(
        ["input", "textarea", "select"], attrs={"type": lambda t: t not in ("hidden", "submit", "button")})


def prepare_run(base: str, journey_id: str, types: dict[str, str]) -> PreparedRun:
    with httpx.Client(base_url=base, follow_redirects=True, timeout=10) as client:
        page = client.get("/")
        url = str(page.url)
        for _ in range(6):  # home -> start page -> (start button) -> first question
            soup = BeautifulSoup(page.text, "html.parser")
            form = next((f for f in soup.find_all("form") if _is_question_form(f)), None)
            if form is not None and url.rstrip("/") != base:
                break
            start_form = next((f for f in soup.find_all("form") if f.get("method", "").lower() == "post"
                               and journey_id in urljoin(url, f.get("action") or url)), None)
            if start_form is not None:
                page = client.post(urljoin(url, start_form.get("action") or url),
                                   data=_form_payload(start_form, types))
            else:
                link = next((a for a in soup.find_all("a", href=True)
                             if journey_id in a["href"] and urljoin(url, a["href"]).split("#")[0] != url), None)
                if link is None:
                    raise SystemExit(f"no way forward to the journey {journey_id!r} from {url}")
                page = client.get(urljoin(url, link["href"]))
            url = str(page.url)
        else:
            raise SystemExit(f"could not reach a question page of {journey_id!r} (stopped at {url})")
        question_url = url
        action = urljoin(question_url, form.get("action") or question_url)
        payload = _form_payload(form, types)
        answered = client.post(action, data=payload, follow_redirects=False)
        if answered.status_code not in (302, 303):
            raise SystemExit(f"answer POST to {action} gave {answered.status_code}, expected a redirect: "
                             f"{BeautifulSoup(answered.text, 'html.parser').title}")
        redirect_url = urljoin(action, answered.headers["location"])
        cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        body = httpx.QueryParams([(k, v) for k, values in payload.items() for v in values])
        # The same answer again, with the same cookie: still a redirect, so the run stays valid.
        again = httpx.post(action, content=str(body), headers={
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}, follow_redirects=False)
        if again.status_code not in (302, 303):
            raise SystemExit(f"repeating the answer gave {again.status_code}, expected a redirect")
        # What the load generators will fetch must be the pages themselves, not redirects elsewhere.
        for url in (question_url, redirect_url):
            page = httpx.get(url, headers={"Cookie": cookie})
            if page.status_code != 200 or 'id="question-form"' not in page.text:
                raise SystemExit(f"GET {url} with the run's cookie gave {page.status_code}, not the question page")
        return PreparedRun(question_url=question_url, post_url=action, post_body=str(body),
                           redirect_url=redirect_url, cookie=cookie)


# --- load generators ---------------------------------------------------------------------------

WRK_POST_SCRIPT = """
local post = wrk.format("POST", %(post_path)s, {["Content-Type"] = "application/x-www-form-urlencoded",
                                                ["Cookie"] = %(cookie)s}, %(body)s)
local follow = wrk.format("GET", %(redirect_path)s, {["Cookie"] = %(cookie)s})
local n = 0
request = function()
  n = n + 1
  if n %% 2 == 1 then return post else return follow end
end
"""


def _lua(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Lua string literal for these ASCII values


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def run_wrk(url: str, seconds: int, connections: int, *, cookie: str = "", script: str | None = None) -> float:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script or "")
    if script:
        command += ["-s", lua.name]
    output = subprocess.run(command + [url], capture_output=True, text=True, timeout=seconds + 60).stdout
    os.unlink(lua.name)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors and int(errors.group(1)) > 0:
        raise SystemExit(f"wrk saw {errors.group(1)} error responses on {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def _python_worker(args) -> int:
    requests, seconds = args
    base = urlsplit(requests[0][1])
    connection = HTTPConnection(base.hostname, base.port, timeout=10)
    count, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        for method, url, headers, body in requests:
            connection.request(method, _path(url), body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status >= 400:
                raise RuntimeError(f"{method} {url} gave {response.status}")
            count += 1
    connection.close()
    return count


def run_python(requests: list[tuple], seconds: int, connections: int) -> float:
    """Keep-alive client in `connections` processes; returns requests per second."""
    with multiprocessing.get_context("fork").Pool(connections) as pool:
        total = sum(pool.map(_python_worker, [(requests, seconds)] * connections))
    return total / seconds


class LoadGenerator:
    def __init__(self, seconds: int, connections: int, choice: str = "auto"):
        self.seconds, self.connections = seconds, connections
        use_wrk = choice == "wrk" or (choice == "auto" and shutil.which("wrk"))
        if use_wrk and not shutil.which("wrk"):
            raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
        self.name = "wrk" if use_wrk else "python keep-alive client"

    def get(self, url: str, cookie: str = "") -> float:
        if self.name == "wrk":
            return run_wrk(url, self.seconds, self.connections, cookie=cookie)
        headers = {"Cookie": cookie} if cookie else {}
        return run_python([("GET", url, headers, None)], self.seconds, self.connections)

    def answer_cycles(self, run: PreparedRun) -> float:
        """POST + redirect-following GET pairs per second."""
        post_url = run.post_url
        if self.name == "wrk":
            script = WRK_POST_SCRIPT % {
                "post_path": _lua(_path(post_url)), "redirect_path": _lua(_path(run.redirect_url)),
                "cookie": _lua(run.cookie), "body": _lua(run.post_body)}
            return run_wrk(post_url, self.seconds, self.connections, script=script) / 2
        form = {"Cookie": run.cookie, "Content-Type": "application/x-www-form-urlencoded"}
        pair = [("POST", post_url, form, run.post_body), ("GET", run.redirect_url, {"Cookie": run.cookie}, None)]
        return run_python(pair, self.seconds, self.connections) / 2


# --- the benchmark -----------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement (default 10)")
    parser.add_argument("--slice", type=int, default=2, help="seconds per interleaved slice (default 2)")
    parser.add_argument("--rounds", type=int, default=2, help="load rounds, memory read after each (default 2)")
    parser.add_argument("--connections", type=int, default=4, help="concurrent keep-alive connections")
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    parser.add_argument("--threads", type=int, default=2, help="threads per gthread worker")
    parser.add_argument("--journey", default="devenir-parent")
    parser.add_argument("--load-generator", default="auto", choices=["auto", "wrk", "python"],
                        help="auto: wrk when installed, else the Python client")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="parcours-bench-"))
    # atexit runs last-registered first: the servers stop, then their folder goes.
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    atexit.register(stop_servers)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    env = {**os.environ, "FLASK_APP": "app", "PARCOURS_SECRET_KEY": "bench-" + os.urandom(8).hex(),
           "PARCOURS_SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'bench.db'}"}
    prepare_database(env)
    gunicorn = dict(env=env, worker_class=options.worker_class, threads=options.threads)
    parcours, parcours_url = start_gunicorn("app:create_app()", chdir=ROOT, log=work / "parcours.log", **gunicorn)
    _, hello_url = start_gunicorn("bench.hello:app", chdir=ROOT, log=work / "hello.log", **gunicorn)
    run = prepare_run(parcours_url, options.journey, _question_types(ROOT / "journeys", options.journey))
    slices = max(1, round(options.duration / options.slice))
    load = LoadGenerator(max(1, round(options.duration / slices)), options.connections, options.load_generator)
    workers = worker_pids(parcours.pid)
    print(f"load generator: {load.name}, {options.connections} connections, {options.duration} s per measurement "
          f"and round, in {slices} slices; "
          f"gunicorn: 2 {options.worker_class} workers x {options.threads} threads")
    print(f"question page: {run.question_url}")

    memory = [[rss_mb(pid) for pid in workers]]
    print(f"before load: worker RSS {', '.join(f'{m:.1f}' for m in memory[0])} MB")
    figures: dict[str, list[float]] = {"hello": [], "question_get": [], "answer_post": []}
    for round_number in range(1, options.rounds + 1):
        sliced: dict[str, list[float]] = {name: [] for name in figures}
        for _ in range(slices):
            sliced["hello"].append(load.get(hello_url + "/"))
            sliced["question_get"].append(load.get(run.question_url, cookie=run.cookie))
            sliced["answer_post"].append(load.answer_cycles(run))
        for name, values in sliced.items():
            figures[name].append(statistics.fmean(values))
        memory.append([rss_mb(pid) for pid in workers])
        print(f"round {round_number}: hello {figures['hello'][-1]:.0f} req/s, question GET "
              f"{figures['question_get'][-1]:.0f} req/s, answer POST+redirect {figures['answer_post'][-1]:.0f}/s; "
              f"worker RSS {', '.join(f'{m:.1f}' for m in memory[-1])} MB")
    if worker_pids(parcours.pid) != workers:
        print("warning: a Parcours worker was restarted during the load", file=sys.stderr)
    stop_servers()

    mean = {name: statistics.fmean(values) for name, values in figures.items()}
    growth = max(after - before for before, after in zip(memory[1], memory[-1])) if len(memory) > 2 else 0.0
    result = {
        "load_generator": load.name,
        "worker_class": options.worker_class,
        "duration_s": options.duration,
        "hello_rps": round(mean["hello"], 1),
        "question_get_rps": round(mean["question_get"], 1),
        "answer_post_rps": round(mean["answer_post"], 1),
        "ratio_question_get": round(mean["question_get"] / mean["hello"], 3),
        "ratio_answer_post": round(mean["answer_post"] / mean["hello"], 3),
        "rss_mb_before": round(max(memory[0]), 1),
        "rss_mb_max": round(max(max(m) for m in memory), 1),
        "rss_growth_mb": round(growth, 1),
        # Budgets from issue 2: under 150 MB per worker, no growth from one round to the next.
        "rss_within_budget": max(max(m) for m in memory) < RSS_BUDGET_MB and growth < RSS_GROWTH_TOLERANCE_MB,
        "connections": options.connections,
    }
    print(f"ratios Parcours / hello-world: question GET {result['ratio_question_get']:.2f}, "
          f"answer POST+redirect {result['ratio_answer_post']:.2f}; max worker RSS {result['rss_mb_max']} MB, "
          f"growth between first and last round {result['rss_growth_mb']} MB")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
