"""The studio's blueprint; views.py adds its routes."""
from flask import Blueprint

bp = Blueprint("studio", __name__, url_prefix="/studio", template_folder="templates", static_folder="static",
               static_url_path="/static")
