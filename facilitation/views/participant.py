"""Participants' pages: enter a code, say who you are, take part in the session."""

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from ..domain.errors import RuleError
from ..domain.join_codes import normalise_join_code
from ..domain.taxonomy import taxonomy
from ..extensions import limiter
from ..security import count_failed_join_guess, join_guessing_refused
from ..services import participants
from ..unit_of_work import run
from . import error_message, form_errors

bp = Blueprint("participant", __name__)


def _join_limit():
    return current_app.config["JOIN_RATE_LIMIT"]


def _session_by_code(code):
    """The open session `code` names, or RuleError; 429 while this address is guessing
    (every failed lookup counts as a guess: security.join_guessing_refused)."""
    if join_guessing_refused():
        abort(429)
    try:
        return participants.session_by_code(code)
    except RuleError:
        count_failed_join_guess()
        raise


@bp.route("/", methods=["GET", "POST"])
@limiter.limit(_join_limit, methods=["POST"])
def enter_code():
    """The home page: type the session code read from the screen."""
    message = None
    if request.method == "POST":
        try:
            found = _session_by_code(request.form.get("code"))
        except RuleError as error:
            message = error_message(error)
        else:
            return redirect(url_for(".join", code=found.join_code))
    page = render_template("participant/enter_code.html", message=message, form=request.form)
    return page, 404 if message else 200


@bp.route("/j/<code>", methods=["GET", "POST"])
@limiter.limit(_join_limit, methods=["GET", "POST"])
def join(code):
    """The join link and QR target: name, city or organisation, country."""
    try:
        found = _session_by_code(code)
    except RuleError as error:
        page = render_template("participant/enter_code.html", message=error_message(error), form={})
        return page, 404
    if found.join_code != code:
        return redirect(url_for(".join", code=found.join_code))
    if request.method == "GET" and str(found.id) in session.get("participants", {}):
        return redirect(url_for(".board", code=code))
    if request.method == "GET" and not session.get("lang_chosen"):
        session["lang"] = found.language
    errors = {}
    if request.method == "POST":
        try:
            participant = run(lambda: participants.join(code, request.form))
        except RuleError as error:
            errors = form_errors(error)
        else:
            joined = dict(session.get("participants", {}))
            joined[str(found.id)] = participant.id
            session["participants"] = joined
            if not session.get("lang_chosen"):
                session["lang"] = found.language
            session.permanent = True
            return redirect(url_for(".board", code=code))
    page = render_template(
        "participant/join.html", session_=found, form=request.form, errors=errors
    )
    return page, 400 if errors else 200


@bp.route("/s/<code>")
def board(code):
    """The session page: post initiatives and watch the board fill up live."""
    code = normalise_join_code(code)
    try:
        found = _session_by_code(code)
    except RuleError as error:
        page = render_template("participant/enter_code.html", message=error_message(error), form={})
        return page, 404
    participant = participants.participant_in(
        found.id, session.get("participants", {}).get(str(found.id))
    )
    if participant is None:
        return redirect(url_for(".join", code=found.join_code))
    return render_template(
        "participant/session.html",
        session_=found,
        participant=participant,
        taxonomy=taxonomy(),
        locale=str(get_locale()),
    )


def _icon(name, sizes, kind, purpose):
    src = url_for("static", filename=f"icons/{name}")
    return {"src": src, "sizes": sizes, "type": kind, "purpose": purpose}


@bp.route("/manifest.webmanifest")
def manifest():
    """The web app manifest: a participant can add the app to the home screen."""
    response = jsonify(
        name=_("Focus groups"),
        short_name=_("Focus groups"),
        description=_("Take part in a focus group from your phone."),
        lang=str(get_locale()),
        start_url=url_for(".enter_code"),
        scope="/",
        display="standalone",
        background_color="#ffffff",
        theme_color="#0b5cad",
        icons=[
            _icon("icon.svg", "any", "image/svg+xml", "any"),
            _icon("icon-192.png", "192x192", "image/png", "any"),
            _icon("icon-512.png", "512x512", "image/png", "any"),
            _icon("icon-maskable-512.png", "512x512", "image/png", "maskable"),
        ],
    )
    response.mimetype = "application/manifest+json"
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response
