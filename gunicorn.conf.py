"""gunicorn settings of the portal (`gunicorn --config gunicorn.conf.py app.wsgi:application`).

Every value can be overridden on the command line or with GUNICORN_CMD_ARGS; the environment
variables below are the ones `make run` and the Procfile pass.
"""
import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
# Sync workers: a question page is CPU-bound (a few ms) and PostgreSQL answers in well under a
# millisecond on the same network; put a buffering proxy (nginx) in front against slow clients.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
keepalive = 5
timeout = 30
graceful_timeout = 20
# A worker is replaced after this many requests (with jitter, so they never restart together):
# bounds the memory any slow leak could take.
max_requests = 20000
max_requests_jitter = 2000
# The app is imported once in the master and workers are forked: less memory, faster restarts.
preload_app = True
# Access log off by default: URLs can carry tokens (see app/auth); set GUNICORN_ACCESS_LOG=- to enable.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    """Connections opened in the master (at import) must never be shared by forked workers."""
    from app.core.db import db
    from app.wsgi import application

    with application.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
