"""Facilitator accounts: the first-start setup link, invitations, signing in."""

import hashlib
import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from ..domain.errors import RuleError
from ..domain.workshops import validate_account
from ..extensions import db
from ..models import AccountToken, Facilitator, Workshop, utcnow


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
    """
    email = email.strip().lower()
    facilitator = Facilitator.query.filter_by(email=email).first()
    if facilitator is None:
        facilitator = Facilitator(name=name.strip() or email, email=email)
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
    found.used_at = utcnow()
    db.session.flush()
    return facilitator


def authenticate(email, password):
    """The facilitator with these credentials, or None."""
    email = (email or "").strip().lower()
    facilitator = Facilitator.query.filter_by(email=email).first()
    known = facilitator is not None and facilitator.password_hash
    if known and check_password_hash(facilitator.password_hash, password or ""):
        return facilitator
    return None
