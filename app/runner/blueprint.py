"""The questionnaire's blueprint; views.py and results.py add its routes."""
from flask import Blueprint

bp = Blueprint("runner", __name__, template_folder="templates")
