"""Parcours: the Flask application. `create_app` is the only entry point."""
from app.core.factory import create_app

__all__ = ["create_app"]
