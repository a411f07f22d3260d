"""Blueprints, one per audience."""

from flask import current_app, request

from ..i18n import ERRORS, field_message


def form_errors(error):
    """Field -> translated message, for re-rendering a form after a RuleError."""
    return {
        field: field_message(field, code, error.limits.get(field, ""))
        for field, code in error.fields.items()
    }


def error_message(error):
    return str(ERRORS.get(error.code, ERRORS["bad_request"]))


def base_url():
    """Where participants reach this server: PUBLIC_URL, else the URL of this request."""
    return (current_app.config["PUBLIC_URL"] or request.host_url).rstrip("/")
