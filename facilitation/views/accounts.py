"""Facilitator accounts: one-time setup or invitation links, signing in and out."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..domain.errors import RuleError
from ..extensions import db, limiter, socketio
from ..live import NAMESPACE
from ..models import Facilitator
from ..schemas import Credentials, check
from ..security import account_room, local_target
from ..services import accounts
from ..unit_of_work import run
from . import error_message, form_errors

bp = Blueprint("accounts", __name__)


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token):
    """Opened from the link the server printed (first facilitator) or an invitation."""
    try:
        found = accounts.find_token(token)
    except RuleError as error:
        return render_template("accounts/link_invalid.html", message=error_message(error)), 404
    form, errors = {}, {}
    if found.facilitator is not None:
        form = {"name": found.facilitator.name, "email": found.facilitator.email}
    if request.method == "POST":
        form = request.form
        try:
            facilitator = run(lambda: accounts.redeem_token(token, request.form))
        except RuleError as error:
            errors = form_errors(error)
        else:
            close_sockets(facilitator.id)  # a new password ends older sessions
            sign_in(facilitator)
            flash(_("Welcome, %(name)s. Your account is ready.", name=facilitator.name))
            return redirect(url_for("facilitator.index"))
    return render_template("accounts/setup.html", form=form, errors=errors), 400 if errors else 200


def sign_in(facilitator):
    """Sign in this browser, with the account's current session epoch in its cookie."""
    login_user(facilitator)
    session[accounts.EPOCH_KEY] = facilitator.session_epoch


def close_sockets(facilitator_id):
    """Disconnect this process's socket connections of the account (each event is also
    checked against the epoch, wherever the connection lives)."""
    room = account_room(facilitator_id)
    for sid, _eio_sid in list(socketio.server.manager.get_participants(NAMESPACE, room)):
        socketio.server.disconnect(sid, namespace=NAMESPACE)


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Facilitators sign in with email and password."""
    message = None
    if request.method == "POST":
        credentials = check(Credentials, request.form)
        facilitator = accounts.authenticate(credentials.email, credentials.password)
        if facilitator is not None:
            sign_in(facilitator)
            return redirect(local_target(request.args.get("next"), url_for("facilitator.index")))
        message = error_message(RuleError("bad_credentials"))
    status = 401 if message else 200
    return render_template("accounts/login.html", message=message, form=request.form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Ends every session of the account: other browsers' cookies and open sockets too."""
    facilitator_id = current_user.id
    run(lambda: accounts.end_sessions(db.session.get(Facilitator, facilitator_id)))
    logout_user()
    session.pop(accounts.EPOCH_KEY, None)
    close_sockets(facilitator_id)
    flash(_("You are signed out."))
    return redirect(url_for("accounts.login"))
