"""`make run` serves like production: the portal under gunicorn, the registries and a delivery
worker as separate processes (app/core/supervisor.py); declarations go to the registries of the
port actually served, never to whatever listens on port 5000 (issue 9, section 3)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app import create_app
from app.core import serve as serve_module
from app.core.supervisor import layout

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def test_make_run_on_another_port_serves_there():
    dry = subprocess.run(["make", "-n", "run", "PORT=5055"], cwd=ROOT, capture_output=True, text=True)
    assert "flask run-all --host 127.0.0.1 --port 5055" in dry.stdout


def test_each_process_posts_to_the_registries_of_the_port_served():
    processes = {p.name: p for p in layout("127.0.0.1", 5055, 5056)}
    assert set(processes) == {"portal", "registries", "deliveries", "retention"}
    for process in processes.values():
        assert process.env["PARCOURS_PARTNERS_BASE_URL"] == "http://127.0.0.1:5056/partenaires"
        assert not any("5000" in part for part in process.command)
    assert "127.0.0.1:5055" in processes["portal"].command
    assert "app.wsgi:application" in processes["portal"].command
    assert "127.0.0.1:5056" in processes["registries"].command
    assert processes["deliveries"].command[-2:] == ["deliveries", "work"]
    # The privacy page promises the purge: gunicorn workers run no background service, so it has its own process.
    assert processes["retention"].command[-2:] == ["retention", "run"]


def test_a_wildcard_bind_is_reached_on_loopback():
    (registries, *_) = layout("0.0.0.0", 8080, 8081)
    assert registries.env["PARCOURS_PARTNERS_BASE_URL"] == "http://127.0.0.1:8081/partenaires"


def test_an_explicit_partners_url_is_kept():
    for process in layout("127.0.0.1", 5055, 5056, explicit_partners_url="https://registres.example/partenaires"):
        assert process.env["PARCOURS_PARTNERS_BASE_URL"] == "https://registres.example/partenaires"


def test_the_configured_default_follows_host_and_port(monkeypatch):
    monkeypatch.setenv("PORT", "5055")
    monkeypatch.delenv("PARCOURS_PARTNERS_BASE_URL", raising=False)
    app = create_app({"TESTING": True})
    assert app.config["PARTNERS_BASE_URL"] == "http://127.0.0.1:5055/partenaires"
    explicit = create_app({"TESTING": True, "PARTNERS_BASE_URL": "https://registres.example/partenaires"})
    assert explicit.config["PARTNERS_BASE_URL"] == "https://registres.example/partenaires"


def test_flask_serve_mounts_the_registries_on_its_own_port(monkeypatch):
    monkeypatch.delenv("PARCOURS_PARTNERS_BASE_URL", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    app = create_app({"TESTING": True, "DELIVERY_IN_PROCESS_WORKER": False})
    monkeypatch.setattr(serve_module, "run_simple", lambda *args, **kwargs: None)
    result = app.test_cli_runner().invoke(args=["serve", "--port", "5055"])
    assert result.exit_code == 0, result.output
    assert app.config["PARTNERS_BASE_URL"] == "http://127.0.0.1:5055/partenaires"


def _free_port_pair() -> int:
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with socket.socket() as other:
            try:
                other.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    pytest.skip("no two free consecutive ports")


def test_run_all_serves_four_processes_and_stops_them_on_ctrl_c(tmp_path):
    port = _free_port_pair()
    env = {**os.environ, "PARCOURS_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'portal.db'}",
           "PARCOURS_PARTNERS_DATABASE_URL": f"sqlite:///{tmp_path / 'partners.db'}", "FLASK_APP": "app",
           "GUNICORN_WORKERS": "1"}
    env.pop("PARCOURS_PARTNERS_BASE_URL", None)
    subprocess.run([str(BIN / "flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    supervisor = subprocess.Popen([str(BIN / "flask"), "run-all", "--port", str(port)], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        portal = registries = None
        while time.monotonic() < deadline and (portal != 200 or registries != 200):
            assert supervisor.poll() is None, supervisor.stdout.read()
            try:
                portal = httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code
                registries = httpx.get(f"http://127.0.0.1:{port + 1}/partenaires/", timeout=2).status_code
            except httpx.TransportError:
                time.sleep(0.3)
        assert (portal, registries) == (200, 200)
        children = Path(f"/proc/{supervisor.pid}/task/{supervisor.pid}/children").read_text().split()
        assert len(children) == 4
        supervisor.send_signal(signal.SIGINT)
        assert supervisor.wait(timeout=60) == 0
        output = supervisor.stdout.read()
        assert f"http://127.0.0.1:{port + 1}/partenaires" in output
        for pid in children:
            assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
