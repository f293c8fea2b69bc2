"""WSGI entry point of the registries alone, for a production-style server:

    gunicorn -w 2 -k gthread --threads 8 -b 127.0.0.1:5001 app.partners.wsgi:application

Configured like the portal (instance/config.py, PARCOURS_* environment variables), served at /partenaires.
"""
from app import create_app
from app.partners import partners_config
from app.partners.cli import standalone_wsgi

application = standalone_wsgi(partners_config(create_app({"PARTNERS_MOUNT": False})))
