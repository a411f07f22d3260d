"""Facilitators' pages: their workshops, preparing a workshop and its sessions, and running
them live (one session, or all side by side)."""

import io
from urllib.parse import urlsplit

import segno
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_login import current_user, login_required

from ..domain.errors import RuleError
from ..domain.taxonomy import taxonomy
from ..i18n import phase_choices
from ..services import workshops
from ..unit_of_work import run
from . import base_url, form_errors

bp = Blueprint("facilitator", __name__, url_prefix="/facilitator")


@bp.before_request
@login_required
def require_facilitator():
    """Every page here is for signed-in facilitators only."""


def _workshop(workshop_id):
    try:
        return workshops.workshop_for(current_user, workshop_id)
    except RuleError:
        abort(404)


@bp.route("/")
def index():
    """The facilitator's workshops."""
    return render_template(
        "facilitator/index.html", workshops=workshops.workshops_for(current_user)
    )


@bp.route("/workshops/new", methods=["GET", "POST"])
def new_workshop():
    errors = {}
    if request.method == "POST":
        try:
            workshop = run(lambda: workshops.create_workshop(current_user, request.form))
        except RuleError as error:
            errors = form_errors(error)
        else:
            return redirect(url_for(".workshop", workshop_id=workshop.id))
    page = render_template("facilitator/new_workshop.html", form=request.form, errors=errors)
    return page, 400 if errors else 200


@bp.route("/workshops/<int:workshop_id>")
def workshop(workshop_id, errors=None, status=200):
    """Preparing a workshop: details, sessions and how to join them, voting rules, names and
    results, room screens, exports and import. Running it is the run view's."""
    found = _workshop(workshop_id)
    return render_template(
        "facilitator/workshop.html",
        workshop=found,
        join_base=base_url(),
        languages=current_app.config["LANGUAGES"],
        errors=errors or {},
        form=request.form,
        taxonomy=taxonomy(),
    ), status


def _run(workshop, shown, title):
    return render_template(
        "facilitator/run.html",
        workshop=workshop,
        sessions=workshop.sessions,
        shown_sessions=shown,
        title=title,
        steps=phase_choices(),
        taxonomy=taxonomy(),
        join_host=urlsplit(base_url()).netloc,
    )


@bp.route("/workshops/<int:workshop_id>/run")
def run_workshop(workshop_id):
    """Running every session of a workshop side by side, for a wide screen."""
    found = _workshop(workshop_id)
    return _run(found, found.sessions, found.title)


@bp.route("/sessions/<int:session_id>/run")
def run_session(session_id):
    """Running one session live: its phase steps, countdown, counters and work area."""
    try:
        session = workshops.session_for(current_user, session_id)
    except RuleError:
        abort(404)
    return _run(session.workshop, [session], session.name)


@bp.route("/workshops/<int:workshop_id>/sessions", methods=["POST"])
def add_session(workshop_id):
    found = _workshop(workshop_id)
    try:
        languages = current_app.config["LANGUAGES"]
        run(lambda: workshops.add_session(found, request.form, languages))
    except RuleError as error:
        return workshop(workshop_id, errors=form_errors(error), status=400)
    return redirect(url_for(".workshop", workshop_id=workshop_id))


@bp.route("/sessions/<int:session_id>/qr.svg")
def qr(session_id):
    """The join link of a session as an SVG QR code."""
    try:
        session = workshops.session_for(current_user, session_id)
    except RuleError:
        abort(404)
    link = f"{base_url()}{url_for('participant.join', code=session.join_code)}"
    buffer = io.BytesIO()
    segno.make(link, error="m").save(
        buffer, kind="svg", scale=6, title=link, omitsize=True, light="#fff"
    )
    return (
        buffer.getvalue(),
        200,
        {"Content-Type": "image/svg+xml", "Cache-Control": "private, max-age=3600"},
    )


@bp.route("/workshops/<int:workshop_id>/projector")
def projector(workshop_id):
    """The whole workshop's room screen, in the language the facilitator picks (`?lang=`,
    else their own)."""
    found = _workshop(workshop_id)
    return _projector(found, None, found.title, found.sessions, request.args.get("lang"))


@bp.route("/sessions/<int:session_id>/projector")
def session_projector(session_id):
    """One session's room screen, in the session's language unless `?lang=` picks another."""
    try:
        session = workshops.session_for(current_user, session_id)
    except RuleError:
        abort(404)
    lang = request.args.get("lang") or session.language
    return _projector(session.workshop, session.id, session.name, [session], lang)


def _projector(workshop, session_id, title, shown_sessions, lang):
    """The room screen, rendered whole in `lang` (when the app offers it)."""
    if lang not in current_app.config["LANGUAGES"]:
        lang = str(get_locale())
    join_host = urlsplit(base_url()).netloc
    sessions = [
        {
            "id": s.id,
            "name": s.name,
            "language": s.language,
            "join_code": s.join_code,
            "qr": url_for(".qr", session_id=s.id),
        }
        for s in shown_sessions
    ]
    with force_locale(lang):
        return render_template(
            "facilitator/projector.html",
            workshop=workshop,
            session_id=session_id,
            title=title,
            shown_sessions=sessions,
            join_host=join_host,
            display=workshops.projector_data(workshop),
            taxonomy=taxonomy(),
        )
