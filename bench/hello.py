"""The baseline for bench/http.py: the smallest Flask app, one route answering a tiny HTML page.

Served by the same gunicorn settings as Parcours, it measures what Flask and gunicorn cost on their
own, so the Parcours figures can be read as a ratio that means the same on any machine.
"""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "<!doctype html><html lang=\"fr\"><title>Bonjour</title><h1>Bonjour</h1></html>"
