"""Facilitators' pages: their workshops, creating workshops and sessions, the live dashboard."""

import io

import segno
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
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
    """The live dashboard: every session's board and the combined results."""
    found = _workshop(workshop_id)
    return render_template(
        "facilitator/workshop.html",
        workshop=found,
        join_base=base_url(),
        languages=current_app.config["LANGUAGES"],
        errors=errors or {},
        form=request.form,
        taxonomy=taxonomy(),
        phases=phase_choices(),
    ), status


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
    segno.make(link, error="m").save(buffer, kind="svg", scale=6, title=link)
    return (
        buffer.getvalue(),
        200,
        {"Content-Type": "image/svg+xml", "Cache-Control": "private, max-age=3600"},
    )


@bp.route("/workshops/<int:workshop_id>/projector")
def projector(workshop_id):
    """Full-screen results of the whole workshop for the room's screen."""
    found = _workshop(workshop_id)
    return _projector(found, None, found.title, found.sessions)


@bp.route("/sessions/<int:session_id>/projector")
def session_projector(session_id):
    """Full-screen results of one session for the room's screen."""
    try:
        session = workshops.session_for(current_user, session_id)
    except RuleError:
        abort(404)
    return _projector(session.workshop, session.id, session.name, [session], session.language)


def _projector(workshop, session_id, title, shown_sessions, text_lang=None):
    return render_template(
        "facilitator/projector.html",
        workshop=workshop,
        session_id=session_id,
        title=title,
        shown_sessions=shown_sessions,
        text_lang=text_lang or "",
        taxonomy=taxonomy(),
    )
