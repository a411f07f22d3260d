"""Facilitator accounts: the first-start setup link, invitations, signing in."""

import functools
import hashlib
import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from ..domain.errors import RuleError
from ..extensions import db
from ..models import AccountToken, Facilitator, Workshop, utcnow
from ..schemas import Invitation, check, validate_account

EPOCH_KEY = "facilitator_epoch"  # in the session cookie, next to flask-login's user id


def facilitator_for_session(user_id, epoch):
    """flask-login's user loader (create_app), run for every request and socket event: the
    facilitator a cookie names, while its `epoch` is still theirs (signing out and a new
    password move it on, so copies of older cookies name no one)."""
    try:
        facilitator = db.session.get(Facilitator, int(user_id))
    except (TypeError, ValueError, OverflowError):
        return None
    if facilitator is None or epoch != facilitator.session_epoch:
        return None
    return facilitator


def end_sessions(facilitator):
    """Sign the facilitator out everywhere: every cookie issued so far stops working."""
    facilitator.session_epoch += 1


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def needs_setup():
    """True while no facilitator can sign in: the server then offers a setup link."""
    return (
        not db.session.query(Facilitator.id).filter(Facilitator.password_hash.isnot(None)).first()
    )


def issue_setup_token():
    """A one-time token for the first facilitator. Every such token stops working once a
    facilitator exists, so each process of a deployment may print its own."""
    token = secrets.token_urlsafe(24)
    db.session.add(AccountToken(token_hash=_hash(token)))
    db.session.flush()
    return token


def invite(email, name, workshop_id=None):
    """Create (or find) a facilitator and return a one-time link token to set a password.

    With `workshop_id`, the facilitator also becomes a co-facilitator of that workshop.
    RuleError('invalid', fields) for a wrong email or name, 'not_found' for no such workshop.
    """
    invitation = check(Invitation, {"email": email, "name": name})
    facilitator = Facilitator.query.filter_by(email=invitation.email).first()
    if facilitator is None:
        facilitator = Facilitator(name=invitation.name or invitation.email, email=invitation.email)
        db.session.add(facilitator)
    if workshop_id is not None:
        workshop = db.session.get(Workshop, workshop_id)
        if workshop is None:
            raise RuleError("not_found")
        if facilitator not in workshop.facilitators:
            workshop.facilitators.append(facilitator)
    db.session.flush()
    token = secrets.token_urlsafe(24)
    db.session.add(AccountToken(token_hash=_hash(token), facilitator_id=facilitator.id))
    db.session.flush()
    return token


def find_token(token):
    """The unused AccountToken for `token`, or raise RuleError('token_invalid')."""
    found = AccountToken.query.filter_by(token_hash=_hash(token or ""), used_at=None).first()
    if found is None or (found.facilitator_id is None and not needs_setup()):
        raise RuleError("token_invalid")
    return found


def redeem_token(token, payload):
    """Set up the account a token is for; the token then stops working."""
    found = find_token(token)
    draft = validate_account(payload)
    facilitator = found.facilitator
    clash = Facilitator.query.filter_by(email=draft.email).first()
    if clash is not None and clash is not facilitator:
        raise RuleError("invalid", {"email": "taken"})
    if facilitator is None:
        facilitator = Facilitator()
        db.session.add(facilitator)
    facilitator.name = draft.name
    facilitator.email = draft.email
    facilitator.password_hash = generate_password_hash(draft.password)
    facilitator.session_epoch = (facilitator.session_epoch or 0) + 1  # a new password
    found.used_at = utcnow()
    db.session.flush()
    return facilitator


@functools.cache
def _dummy_hash():
    """A hash of no one's password, checked for unknown emails so that every sign-in costs
    one hash check and its time does not tell which emails have accounts."""
    return generate_password_hash(secrets.token_urlsafe(24))


def authenticate(email, password):
    """The facilitator with these credentials, or None. Exactly one hash check either way."""
    email = (email or "").strip().lower() if isinstance(email, str) else ""
    password = password if isinstance(password, str) else ""
    facilitator = Facilitator.query.filter_by(email=email).first()
    stored = facilitator.password_hash if facilitator is not None else None
    matches = check_password_hash(stored or _dummy_hash(), password)
    return facilitator if stored and matches else None
