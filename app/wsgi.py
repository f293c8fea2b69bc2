"""WSGI entry point of the portal for a production server (gunicorn, see gunicorn.conf.py):

    gunicorn --config gunicorn.conf.py app.wsgi:application

The portal alone: the partner registries (app/partners/wsgi.py) and the delivery workers
(`flask deliveries work`) are separate processes, as in production (README, "Production layout").
Static files are served from the build of `flask assets build` (hashed names, precompressed).
"""
import os

from app import create_app
from app.core.assets import DEFAULT_BUILD_DIR

application = create_app({
    "PARTNERS_MOUNT": False, "DELIVERY_IN_PROCESS_WORKER": False,
    # static files hashed and compressed by `flask assets build` (app/core/assets.py)
    "STATIC_BUILD_DIR": os.environ.get("PARCOURS_STATIC_BUILD_DIR") or str(DEFAULT_BUILD_DIR),
})
