"""`flask run-all`: Parcours laid out as production runs it, on one machine, for `make run`.

Four processes, each its own process group:
- the portal: gunicorn with `gunicorn.conf.py`, serving `app.wsgi:application` on HOST:PORT;
- the partner registries: gunicorn serving `app.partners.wsgi:application` on the next port;
- one delivery worker: `flask deliveries work`, posting to those registries;
- the retention purge: `flask retention run` (gunicorn workers run no background service).

Ctrl-C (or SIGTERM) stops them all and exits 0; if one of them dies, the others are stopped and
the command exits 1. Unless PARTNERS_BASE_URL is set explicitly, the portal and the worker are
given the registries' actual address: a portal on port 5055 never posts declarations (with a
social insurance number) to whatever listens on port 5000.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.core.config import PROJECT_ROOT, partners_base_url

STOP_SECONDS = 25  # gunicorn's graceful_timeout is 20 s; the worker finishes its batch in less


@dataclass
class Process:
    name: str
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)


def layout(host: str, port: int, partners_port: int, *, explicit_partners_url: str | None = None,
           bin_dir: Path | None = None) -> list[Process]:
    """The processes of a local start, in start order (registries first: the others call them)."""
    bin_dir = bin_dir or Path(sys.executable).parent
    partners_url = explicit_partners_url or partners_base_url(host, partners_port)
    env = {"PARCOURS_PARTNERS_BASE_URL": partners_url, "HOST": host, "PORT": str(port)}
    return [
        Process("registries", [str(bin_dir / "gunicorn"), "--workers", "2", "--worker-class", "gthread",
                               "--threads", "8", "--bind", f"{host}:{partners_port}", "--chdir", str(PROJECT_ROOT),
                               "app.partners.wsgi:application"], env),
        Process("portal", [str(bin_dir / "gunicorn"), "--config", str(PROJECT_ROOT / "gunicorn.conf.py"),
                           "--bind", f"{host}:{port}", "--chdir", str(PROJECT_ROOT), "app.wsgi:application"], env),
        Process("deliveries", [str(bin_dir / "flask"), "--app", "app", "deliveries", "work"], env),
        Process("retention", [str(bin_dir / "flask"), "--app", "app", "retention", "run"], env),
    ]


def supervise(processes: list[Process], *, echo=click.echo) -> int:
    """Start every process, wait until Ctrl-C/SIGTERM or until one of them stops; stop them all."""
    stopping = False

    def ask_to_stop(*_):
        nonlocal stopping
        stopping = True

    previous = {signum: signal.signal(signum, ask_to_stop) for signum in (signal.SIGINT, signal.SIGTERM)}
    running: list[tuple[Process, subprocess.Popen]] = []
    try:
        for process in processes:
            # Its own session: the terminal's Ctrl-C reaches this supervisor only, which then stops
            # each process in order and waits for it (a delivery batch in hand is saved first).
            child = subprocess.Popen(process.command, env={**os.environ, **process.env}, cwd=PROJECT_ROOT,
                                     start_new_session=True)
            running.append((process, child))
            echo(f"{process.name}: started (pid {child.pid})")
        while not stopping:
            ended = next(((p, c) for p, c in running if c.poll() is not None), None)
            if ended is not None:
                echo(f"{ended[0].name} stopped (exit {ended[1].returncode}): stopping the others", err=True)
                return 1
            time.sleep(0.2)
        echo("stopping…")
        return 0
    finally:
        for process, child in reversed(running):
            _stop(child)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is not None:
        return
    try:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    except ProcessLookupError:
        pass


@click.command("run-all")
@click.option("--host", default=lambda: os.environ.get("HOST", "127.0.0.1"), show_default="HOST or 127.0.0.1")
@click.option("--port", default=lambda: int(os.environ.get("PORT", "5000")), type=int,
              show_default="PORT or 5000")
@click.option("--partners-port", type=int, default=None, help="Registries' port (default: PORT + 1).")
@with_appcontext
def run_all(host: str, port: int, partners_port: int | None) -> None:
    """Serve Parcours like production: portal (gunicorn), partner registries and a delivery worker."""
    config = current_app.config
    explicit = None if config.get("PARTNERS_BASE_URL_FROM_ADDRESS") else config["PARTNERS_BASE_URL"]
    processes = layout(host, port, partners_port or port + 1, explicit_partners_url=explicit)
    click.echo(f"Parcours: http://{host}:{port}/  (registries: {processes[0].env['PARCOURS_PARTNERS_BASE_URL']})")
    sys.exit(supervise(processes))
