"""HTTP benchmark: Parcours against a bare Flask hello-world, distinct citizens, PostgreSQL, gunicorn.

    .venv/bin/python bench/http.py [--runs 128] [--connections 32] [--slice 3] [--slices 8]
                                   [--worker-classes sync,gthread] [--workers 2] [--journey devenir-parent]

What a citizen does, measured under load that the server (not the client) limits:
1. a throw-away PostgreSQL database with a random name (dropped at the end, whatever happens) is
   migrated and the journeys stored; gunicorn serves Parcours with `gunicorn.conf.py`'s app
   (`--workers`, 2 by default) and, with the same settings, `bench/hello.py`;
2. `--runs` distinct visitors start a run each (fresh runs: their first question is fetched), and
   `--runs` more start one and get the answers of the journey's first scenario
   (journeys/tests/<journey>/01-*.yaml), so their run is complete;
3. `wrk -t2 -c<connections>` with a Lua script rotating over the visitors' cookies and URLs drives,
   interleaved in short slices (hello, fresh question, answered question, answer, plan, hello, ...),
   after a warm-up of each:
   - `question_get`: the first question of a fresh run (GET);
   - `answered_get`: a question whose answer a citizen typed (a date: the page is rendered in full);
   - `answer_post`: a POST that CHANGES that answer (two dates in turn) and the GET of its redirect;
   - `plan`: the personalised plan of a complete run;
   every response's status is checked by the Lua script (200 for pages, 302/303 for a POST);
4. reads each Parcours worker's resident memory (VmRSS) before and after, and its proportional share
   (Pss: pages shared after the fork counted once over the workers), for `sync` and `gthread`.

Each figure is requests per second (mean over its slices), p50/p99 latency (mean over slices) and
the count of unexpected responses; `ratio` is the median over slices of the figure's rate divided by
hello-world's in the slice just before (`ratio_per_slice` lists them, `ratio_of_means` divides the means).
The last line is one JSON object. The benchmark exits non-zero when a response was unexpected.
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
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urljoin, urlsplit

import httpx

# Throw-away servers with generated secrets: development mode, as under `make bench`, even when the
# script is run by hand (production mode refuses to start without its secrets).
os.environ.setdefault("PARCOURS_ENV", "development")

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
PG_SERVER = "host=127.0.0.1 port=5432 user=postgres"
RSS_BUDGET_MB = 150
FIGURES = ("question_get", "answered_get", "answer_post", "plan")
_servers: list[subprocess.Popen] = []


# --- database and servers ----------------------------------------------------------------------

class ThrowAwayDatabase:
    """A PostgreSQL database with a random name, dropped on close."""

    def __init__(self):
        import psycopg

        self.name = f"parcours_bench_{secrets.token_hex(6)}"
        try:
            with psycopg.connect(PG_SERVER + " dbname=postgres", autocommit=True, connect_timeout=5) as admin:
                admin.execute(f'CREATE DATABASE "{self.name}"')
        except psycopg.OperationalError as problem:
            raise SystemExit(f"PostgreSQL is needed on 127.0.0.1:5432 (user postgres): {problem}")
        self.url = f"postgresql+psycopg://postgres@{HOST}:5432/{self.name}"
        self.dsn = f"{PG_SERVER} dbname={self.name}"

    def close(self) -> None:
        import psycopg

        with psycopg.connect(PG_SERVER + " dbname=postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(app_spec: str, *, env: dict, worker_class: str, threads: int, workers: int, log: Path,
                   config: str | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [str(BIN / "gunicorn")]
    if config:
        command += ["--config", config]
    command += ["--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads),
                "--bind", f"{HOST}:{port}", "--chdir", str(ROOT), "--log-level", "warning",
                "--keep-alive", "5", app_spec]
    server = subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    _servers.append(server)
    base = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn {app_spec} stopped at start-up:\n{log.read_text()[-2000:]}")
        try:
            status = httpx.get(base + "/", timeout=2).status_code
        except httpx.HTTPError:
            time.sleep(0.2)
            continue
        if status != 200:
            raise SystemExit(f"gunicorn {app_spec}: GET / gave {status}:\n{log.read_text()[-1500:]}")
        break
    else:
        raise SystemExit(f"gunicorn {app_spec} did not answer within 60 s:\n{log.read_text()[-1500:]}")
    while len(worker_pids(server.pid)) < workers and time.monotonic() < deadline:
        time.sleep(0.1)
    return server, base


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(server.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    if server in _servers:
        _servers.remove(server)


def stop_servers() -> None:
    for server in list(_servers):
        stop_server(server)


def worker_pids(master_pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return []
    return sorted(int(pid) for pid in children)


def _proc_mb(pid: int, file: str, key: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def rss_mb(pid: int) -> float:
    return _proc_mb(pid, "status", "VmRSS:")


def pss_mb(pid: int) -> float:
    """Proportional set size: pages shared with the master and the other workers (the libraries
    preloaded before the fork) counted in proportion, so the sum over workers is what they cost."""
    return _proc_mb(pid, "smaps_rollup", "Pss:")


def prepare_database(env: dict) -> None:
    for args in (["db", "upgrade"], ["journeys", "load"]):
        done = subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


# --- visitors, prepared like citizens ------------------------------------------------------------

@dataclass
class Visitor:
    cookie: str
    question_path: str                     # first question (fresh) or the answered date question
    plan_path: str = ""
    posts: list[tuple[str, str]] = field(default_factory=list)  # (body, redirect path), one per value


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if match is None:
        raise SystemExit("no CSRF token on the page")
    return match.group(1)


def start_visitor(base: str, journey_id: str) -> tuple[httpx.Client, str]:
    """A new visitor: the start page, then "Commencer"; returns the client and the first question's URL."""
    client = httpx.Client(base_url=base, timeout=15)
    start = client.get(f"/parcours/{journey_id}")
    if start.status_code != 200:
        raise SystemExit(f"GET /parcours/{journey_id} gave {start.status_code}")
    begun = client.post(f"/parcours/{journey_id}/commencer", data={"csrf_token": _csrf(start.text)})
    if begun.status_code not in (302, 303):
        raise SystemExit(f"starting a run gave {begun.status_code}")
    return client, urljoin(base, begun.headers["location"])


def _cookie(client: httpx.Client) -> str:
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def prepare_visitors(base: str, database: ThrowAwayDatabase, journey_id: str, count: int):
    """`count` fresh visitors and `count` visitors whose run is complete (the first scenario's answers)."""
    import psycopg

    sys.path.insert(0, str(ROOT))
    from app.journeys.scenarios import load_scenarios

    scenario = load_scenarios(ROOT / "journeys" / "tests", journey_id)[0]
    date_question = next((key for key, value in scenario.answers.items()
                          if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)), None)
    if date_question is None:
        raise SystemExit(f"scenario {scenario.name} answers no date question: pick another journey")
    values = [(date.today() - timedelta(days=days)).isoformat() for days in (10, 11)]

    fresh = []
    for _ in range(count):
        client, first = start_visitor(base, journey_id)
        fresh.append(Visitor(cookie=_cookie(client), question_path=_path(first)))
        client.close()

    answered = []
    with psycopg.connect(database.dsn, autocommit=True) as connection:
        known = {row[0] for row in connection.execute("SELECT id FROM runs")}
        for _ in range(count):
            client, _first = start_visitor(base, journey_id)
            (run_id,) = {row[0] for row in connection.execute("SELECT id FROM runs")} - known
            known.add(run_id)
            answers = {**scenario.answers, date_question: values[0]}
            connection.execute("UPDATE runs SET answers = %s, status = 'completed' WHERE id = %s",
                               (json.dumps(answers), run_id))
            question = f"/parcours/{journey_id}/questions/{date_question}"
            page = client.get(question)
            if page.status_code != 200 or 'id="question-form"' not in page.text:
                raise SystemExit(f"GET {question} of a complete run gave {page.status_code}")
            token = _csrf(page.text)
            visitor = Visitor(cookie=_cookie(client), question_path=question,
                              plan_path=f"/parcours/{journey_id}/resultat")
            for value in values[1], values[0]:  # the stored value is values[0]: each POST changes it
                body = str(httpx.QueryParams({"csrf_token": token, date_question: value}))
                posted = client.post(question, content=body,
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
                if posted.status_code not in (302, 303):
                    raise SystemExit(f"answer POST to {question} gave {posted.status_code}, not a redirect")
                stored = connection.execute("SELECT answers FROM runs WHERE id = %s", (run_id,)).fetchone()[0]
                stored = json.loads(stored) if isinstance(stored, str) else stored
                if stored.get(date_question) != value:
                    raise SystemExit("the answer POST did not change the stored answer")
                visitor.posts.append((body, _path(urljoin(base + question, posted.headers["location"]))))
            plan = client.get(visitor.plan_path)
            if plan.status_code != 200:
                raise SystemExit(f"GET {visitor.plan_path} of a complete run gave {plan.status_code}")
            answered.append(visitor)
            client.close()
    return fresh, answered, date_question


# --- wrk with a Lua script rotating over the visitors ------------------------------------------

LUA = r"""
-- Generated by bench/http.py. Each wrk thread takes every n-th entry and cycles over them; every
-- response's status is counted, so a redirect to the start page or a refused POST is an error.
local entries = %(entries)s
local expect_post = %(expect_post)s
local threads, counter = {}, 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local mine, n = {}, 0
ok, redirects, other = 0, 0, 0  -- globals: done() reads them with thread:get

function init(args)
  local step = %(threads)d
  for i = tid + 1, #entries, step do
    local e = entries[i]
    table.insert(mine, wrk.format(e[1], e[2], e[3], e[4]))
  end
  if #mine == 0 then
    local e = entries[1]
    table.insert(mine, wrk.format(e[1], e[2], e[3], e[4]))
  end
end

function request()
  n = n + 1
  return mine[(n - 1) %% #mine + 1]
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1
  elseif status == 302 or status == 303 then redirects = redirects + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local ok_total, redirect_total, other_total = 0, 0, 0
  for _, thread in ipairs(threads) do
    ok_total = ok_total + thread:get("ok")
    redirect_total = redirect_total + thread:get("redirects")
    other_total = other_total + thread:get("other")
  end
  local unexpected = other_total + summary.errors.connect + summary.errors.read + summary.errors.write
                     + summary.errors.timeout
  if expect_post then
    -- as many redirects (POST) as pages (their GET), give or take the requests in flight
    local gap = math.abs(ok_total - redirect_total) - 2 * %(connections)d
    if gap > 0 then unexpected = unexpected + gap end
  else
    unexpected = unexpected + redirect_total
  end
  io.write(string.format('BENCH {"requests": %%d, "seconds": %%.3f, "p50_us": %%d, "p99_us": %%d, "unexpected": %%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99), unexpected))
end
"""


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII characters is a valid Lua string literal


def lua_script(entries: list[tuple], *, post: bool, threads: int, connections: int) -> str:
    rows = []
    for method, path, headers, body in entries:
        lua_headers = "{" + ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items()) + "}"
        rows.append(f"{{{_lua_string(method)}, {_lua_string(path)}, {lua_headers}, "
                    f"{_lua_string(body) if body is not None else 'nil'}}}")
    return LUA % {"entries": "{\n" + ",\n".join(rows) + "\n}", "expect_post": "true" if post else "false",
                  "threads": threads, "connections": connections}


def scenario_scripts(fresh: list[Visitor], answered: list[Visitor], threads: int, connections: int) -> dict[str, str]:
    form = "application/x-www-form-urlencoded"
    posts = []
    for value in range(2):  # all visitors' first change, then all their second: a run is never raced
        for visitor in answered:
            body, redirect = visitor.posts[value]
            posts.append(("POST", visitor.question_path, {"Cookie": visitor.cookie, "Content-Type": form}, body))
            posts.append(("GET", redirect, {"Cookie": visitor.cookie}, None))
    make = lambda entries, post=False: lua_script(entries, post=post, threads=threads, connections=connections)
    return {
        "hello": make([("GET", "/", {}, None)]),
        "question_get": make([("GET", v.question_path, {"Cookie": v.cookie}, None) for v in fresh]),
        "answered_get": make([("GET", v.question_path, {"Cookie": v.cookie}, None) for v in answered]),
        "answer_post": make(_interleave_pairs(posts, threads), post=True),
        "plan": make([("GET", v.plan_path, {"Cookie": v.cookie}, None) for v in answered]),
    }


def _interleave_pairs(pairs: list[tuple], threads: int) -> list[tuple]:
    """Reorder [POST, GET, POST, GET, ...] so that wrk thread t (taking entries t, t+T, ...) gets
    whole pairs in order: POST then its redirect's GET."""
    couples = [pairs[i:i + 2] for i in range(0, len(pairs), 2)]
    per_thread = [couples[t::threads] for t in range(threads)]
    out = []
    for index in range(max(len(p) for p in per_thread)):
        for part in (0, 1):
            for t in range(threads):
                if index < len(per_thread[t]):
                    out.append(per_thread[t][index][part])
    return out


def run_wrk(base: str, script: Path, seconds: float, threads: int, connections: int) -> dict:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
               "-s", str(script), base]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    line = next((l for l in done.stdout.splitlines() if l.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no result:\n{done.stdout}\n{done.stderr}")
    result = json.loads(line[len("BENCH "):])
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    return result


# --- one worker class --------------------------------------------------------------------------

def measure(worker_class: str, env: dict, work: Path, options, prepared=None) -> tuple[dict, tuple]:
    threads = options.threads if worker_class == "gthread" else 1
    settings = dict(env=env, worker_class=worker_class, threads=threads, workers=options.workers)
    parcours, parcours_url = start_gunicorn("app.wsgi:application", log=work / f"parcours-{worker_class}.log",
                                            config=str(ROOT / "gunicorn.conf.py"), **settings)
    hello, hello_url = start_gunicorn("bench.hello:app", log=work / f"hello-{worker_class}.log", **settings)
    if prepared is None:
        prepared = prepare_visitors(parcours_url, options.database, options.journey, options.runs)
    fresh, answered, date_question = prepared
    scripts = {}
    for name, text in scenario_scripts(fresh, answered, options.wrk_threads, options.connections).items():
        scripts[name] = work / f"{name}.lua"
        scripts[name].write_text(text)
    bases = {name: hello_url if name == "hello" else parcours_url for name in scripts}
    workers = worker_pids(parcours.pid)

    for name in scripts:  # warm-up: caches, pools, compiled statements
        run_wrk(bases[name], scripts[name], options.warmup, options.wrk_threads, options.connections)
    rss_before = [rss_mb(pid) for pid in workers]
    slices: dict[str, list[dict]] = {name: [] for name in scripts}
    for _ in range(options.slices):
        for name in scripts:
            slices[name].append(run_wrk(bases[name], scripts[name], options.slice, options.wrk_threads,
                                        options.connections))
    now = worker_pids(parcours.pid)
    restarted = now != workers  # gunicorn's max_requests recycles a worker after about 20 000 requests
    rss_after = [rss_mb(pid) for pid in now]
    pss_after = [pss_mb(pid) for pid in now]
    stop_server(parcours)
    stop_server(hello)

    def summary(name: str) -> dict:
        values = slices[name]
        return {"rps": round(statistics.fmean(v["rps"] for v in values), 1),
                "p50_ms": round(statistics.fmean(v["p50_us"] for v in values) / 1000, 2),
                "p99_ms": round(statistics.fmean(v["p99_us"] for v in values) / 1000, 2),
                "non_2xx": sum(v["unexpected"] for v in values)}

    hello_figure = summary("hello")
    result = {"hello": hello_figure}
    for name in FIGURES:
        figure = summary(name)
        # Per slice against the hello-world slice just before it, so that background load on the shared
        # machine cancels out; the median, so that one slice where either server stalled (a hello-world
        # slice at a tenth of its rate was seen) does not move the figure.
        per_slice = [a["rps"] / h["rps"] for a, h in zip(slices[name], slices["hello"]) if h["rps"]]
        figure["ratio"] = round(statistics.median(per_slice), 3) if per_slice else 0.0
        figure["ratio_of_means"] = round(figure["rps"] / hello_figure["rps"], 3) if hello_figure["rps"] else 0.0
        figure["ratio_per_slice"] = [round(r, 3) for r in per_slice]
        result[name] = figure
    result["rss_mb_before"] = [round(m, 1) for m in rss_before]
    result["rss_mb_after"] = [round(m, 1) for m in rss_after]
    result["pss_mb_after"] = [round(m, 1) for m in pss_after]
    result["workers_restarted"] = restarted
    return result, prepared


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=128, help="distinct visitors of each kind")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--slice", type=float, default=3, help="seconds per slice")
    parser.add_argument("--slices", type=int, default=8, help="slices per figure and worker class")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per figure")
    parser.add_argument("--worker-classes", default="sync,gthread")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each server")
    parser.add_argument("--journey", default="devenir-parent")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (make wrk, or apt-get install wrk)")

    work = Path(tempfile.mkdtemp(prefix="parcours-bench-"))
    options.database = ThrowAwayDatabase()
    # atexit runs last-registered first: the servers stop, the database is dropped, the folder goes.
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    atexit.register(options.database.close)
    atexit.register(stop_servers)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    env = {**os.environ, "FLASK_APP": "app", "PARCOURS_SECRET_KEY": "bench-" + os.urandom(8).hex(),
           "PARCOURS_SQLALCHEMY_DATABASE_URI": options.database.url}
    prepare_database(env)

    results, prepared = {}, None
    print(f"wrk -t{options.wrk_threads} -c{options.connections}; {options.runs} fresh and {options.runs} "
          f"complete runs of {options.journey} on PostgreSQL; gunicorn {options.workers} workers each; {options.slices} slices of "
          f"{options.slice} s per figure, interleaved with hello-world", flush=True)
    for worker_class in options.worker_classes.split(","):
        results[worker_class], prepared = measure(worker_class, env, work, options, prepared)
        figures = results[worker_class]
        print(f"{worker_class}: hello {figures['hello']['rps']:.0f} req/s; " + "; ".join(
            f"{name} {figures[name]['rps']:.0f} req/s (x{figures[name]['ratio']:.2f}, p50 {figures[name]['p50_ms']} ms, "
            f"p99 {figures[name]['p99_ms']} ms, non-2xx {figures[name]['non_2xx']})" for name in FIGURES)
            + f"; worker RSS {figures['rss_mb_before']} -> {figures['rss_mb_after']} MB"
            + f" (PSS {figures['pss_mb_after']} MB)", flush=True)

    unexpected = sum(results[w][name]["non_2xx"] for w in results for name in ("hello", *FIGURES))
    rss_max = max(max(results[w]["rss_mb_after"] + results[w]["rss_mb_before"]) for w in results)
    result = {"runs": options.runs, "connections": options.connections, "database": "postgresql",
              "journey": options.journey, **results,
              "rss_mb_max": rss_max, "rss_within_budget": rss_max < RSS_BUDGET_MB, "non_2xx_total": unexpected}
    print(json.dumps(result))
    if unexpected:
        sys.exit(f"{unexpected} unexpected responses")


if __name__ == "__main__":
    main()
