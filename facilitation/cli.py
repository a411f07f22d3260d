"""`flask` commands: facilitator accounts, the setup link, translation catalogues."""

import subprocess
import sys

import click
from flask import url_for

from .config import ROOT
from .domain.errors import RuleError
from .i18n import field_message
from .services import accounts
from .unit_of_work import run


def _link(app, endpoint, token):
    base = app.config["PUBLIC_URL"] or f"http://127.0.0.1:{app.config.get('PORT', 5000)}"
    with app.test_request_context(base_url=base):
        return url_for(endpoint, token=token, _external=True)


def announce_setup_link(app):
    """Print a one-time setup link while no facilitator can sign in (called on start)."""
    with app.app_context():
        if accounts.needs_setup():
            token = run(accounts.issue_setup_token)
            link = _link(app, "accounts.setup", token)
            print(
                f"\n  No facilitator account yet. Open this one-time link to create it:\n  {link}\n"
            )
            sys.stdout.flush()


def register(app):
    register_exports(app)

    @app.cli.group()
    def facilitator():
        """Facilitator accounts."""

    @facilitator.command("invite")
    @click.argument("email")
    @click.option("--name", default="", help="The co-facilitator's name.")
    @click.option("--workshop", "workshop_id", type=int, help="Also share this workshop (id).")
    def invite(email, name, workshop_id):
        """Invite a co-facilitator: prints a one-time link to set their password."""
        try:
            token = run(lambda: accounts.invite(email, name, workshop_id))
        except RuleError as error:
            if not error.fields:
                raise click.ClickException(f"There is no workshop {workshop_id}.") from None
            with app.test_request_context():  # the messages, in the default language
                problems = [
                    f"{name}: {field_message(name, code, error.limits.get(name, ''))}"
                    for name, code in error.fields.items()
                ]
            raise click.ClickException(" ".join(problems)) from None
        click.echo(_link(app, "accounts.setup", token))

    @app.cli.command("setup-link")
    def setup_link():
        """Print a new first-facilitator setup link (only while there is no facilitator)."""
        if not accounts.needs_setup():
            raise click.ClickException("A facilitator account exists already.")
        token = run(accounts.issue_setup_token)
        click.echo(_link(app, "accounts.setup", token))

    @app.cli.group()
    def translate():
        """Translation catalogues (pybabel)."""

    def pybabel(*args):
        subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT
        )

    @translate.command("update")
    def update():
        """Extract strings from code and templates and merge them into every catalogue."""
        pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-o", "messages.pot", ".")
        pybabel("update", "-i", "messages.pot", "-d", "translations", "--no-fuzzy-matching")
        (ROOT / "messages.pot").unlink()

    @translate.command("init")
    @click.argument("lang")
    def init(lang):
        """Start the catalogue of a new language."""
        pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-o", "messages.pot", ".")
        pybabel("init", "-i", "messages.pot", "-d", "translations", "-l", lang)
        (ROOT / "messages.pot").unlink()

    @translate.command("compile")
    def compile_():
        """Build the .mo files the app reads."""
        pybabel("compile", "-d", "translations")


def register_exports(app):
    """`flask export` and `flask import`: the same files as the dashboard's downloads, the
    report as a Word document (docx) or PDF included."""
    from .exports import restore
    from .models import Facilitator, Workshop
    from .views.exports import FORMATS, REPORTS, write_export

    @app.cli.command("export")
    @click.argument("workshop_id", type=int)
    @click.option(
        "--format", "fmt", type=click.Choice(sorted({**FORMATS, **REPORTS})), default="xlsx"
    )
    @click.option("--lang", default="en", help="Language of headers, axes and SDGs.")
    @click.option(
        "--session", "session_id", type=int, help="Only this session (csv, xlsx, docx, pdf)."
    )
    @click.option("--out", type=click.Path(dir_okay=False, writable=True), required=True)
    def export(workshop_id, fmt, lang, session_id, out):
        """Export a workshop to a file."""
        from .extensions import db

        workshop = db.session.get(Workshop, workshop_id)
        if workshop is None:
            raise click.ClickException(f"There is no workshop {workshop_id}.")
        if lang not in app.config["LANGUAGES"]:
            raise click.ClickException(f"Unknown language {lang!r}.")
        session = next((s for s in workshop.sessions if s.id == session_id), None)
        if session_id is not None and session is None:
            raise click.ClickException(f"Workshop {workshop_id} has no session {session_id}.")
        with open(out, "wb") as target:
            write_export(workshop, fmt, lang, session, target)
        click.echo(out)

    @app.cli.command("import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--facilitator", "email", required=True, help="Who will run the workshop.")
    def import_(path, email):
        """Import a JSON export as a new workshop; nothing changes if the file is invalid."""
        owner = Facilitator.query.filter_by(email=email.strip().lower()).first()
        if owner is None:
            raise click.ClickException(f"There is no facilitator {email}.")
        try:
            with open(path, "rb") as source:
                workshop = restore.import_workshop(
                    restore.read_file(source), owner, app.config["LANGUAGES"]
                )
        except restore.ImportProblem as problem:
            raise click.ClickException(f"Not imported: {problem.detail}") from None
        click.echo(f"Imported as workshop {workshop.id}.")
