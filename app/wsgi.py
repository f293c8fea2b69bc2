"""WSGI entry point of the portal for a production server (gunicorn, see gunicorn.conf.py):

    gunicorn --config gunicorn.conf.py app.wsgi:application

The portal alone: the partner registries (app/partners/wsgi.py) and the delivery workers
(`flask deliveries work`) are separate processes, as in production (README, "Production layout").
"""
from app import create_app

application = create_app({"PARTNERS_MOUNT": False, "DELIVERY_IN_PROCESS_WORKER": False})
