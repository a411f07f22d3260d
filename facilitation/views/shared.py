"""Routes every audience uses: the language switch and the SDG colour stylesheet."""

from flask import Blueprint, Response, current_app, redirect, request, session, url_for

from ..domain.taxonomy import taxonomy
from ..security import local_target

bp = Blueprint("shared", __name__)


@bp.route("/language", methods=["POST"])
def language():
    """Switch this browser's interface language, then go back where the viewer was."""
    chosen = request.form.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        session["lang"] = chosen
        session["lang_chosen"] = True
    return redirect(local_target(request.form.get("next"), url_for("participant.enter_code")))


@bp.route("/sdg.css")
def sdg_css():
    """Badge colours from the taxonomy: the UN colour with the better contrasting text."""
    rules = [
        f".sdg-{s.number}{{background:{s.colour};color:{s.text_colour}}}" for s in taxonomy().sdgs
    ]
    response = Response("\n".join(rules) + "\n", mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.route("/healthz")
def healthz():
    return {"ok": True}
