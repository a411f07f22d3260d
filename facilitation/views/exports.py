"""Exports for facilitators: CSV (zip), XLSX, JSON backup, the printable report, import."""

import datetime as dt
import io
import tempfile
from contextlib import nullcontext

from flask import (
    Blueprint,
    abort,
    current_app,
    has_request_context,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_login import current_user, login_required
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from ..domain.errors import RuleError
from ..exports import backup, pdf, report, restore, tables, word, writers
from ..i18n import ERRORS
from ..services import workshops
from . import error_message

bp = Blueprint("exports", __name__, url_prefix="/facilitator")

FORMATS = {
    "csv": ("application/zip", "zip"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": ("application/json", "json"),
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# what `flask export` writes besides FORMATS: the report, as the report routes give it
REPORTS = {"docx": (DOCX, "docx"), "pdf": ("application/pdf", "pdf")}


@bp.before_request
@login_required
def require_facilitator():
    """Exports are for the workshop's facilitators only."""


def allow_large_imports():
    """Imports may be large files: raise the body limit, before anything (CSRF) reads the
    body, for a signed-in facilitator whose CSRF token (in the query string: the form puts
    it there) is valid. Everyone else keeps the small limit, so a stranger's upload is
    refused from its Content-Length, unread. create_app registers this ahead of CSRF."""
    if request.endpoint != "exports.import_page" or request.method != "POST":
        return
    if not current_user.is_authenticated:
        return
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        try:
            validate_csrf(request.args.get("csrf_token"))
        except ValidationError:
            return
    request.max_content_length = current_app.config["IMPORT_MAX_BYTES"]


def _scope():
    """The workshop, optional session and language an export request names."""
    try:
        workshop = workshops.workshop_for(current_user, request.view_args["workshop_id"])
    except RuleError:
        abort(404)
    session = None
    if request.args.get("session"):
        session = next((s for s in workshop.sessions if str(s.id) == request.args["session"]), None)
        if session is None:
            abort(404)
    lang = request.args.get("lang")
    if lang not in current_app.config["LANGUAGES"]:
        lang = str(get_locale())
    return workshop, session, lang


def write_export(workshop, fmt, lang, session, target):
    """Write one export format to the binary file `target` (also used by `flask export`)."""
    if fmt == "json":
        text = io.TextIOWrapper(target, encoding="utf-8", newline="\n")
        backup.write_json(workshop, text)
        text.flush()
        text.detach()
        return
    if fmt == "docx":
        with force_locale(lang):
            word.write_docx(report.context(workshop, session, lang), target)
        return
    if fmt == "pdf":
        target.write(report_pdf_bytes(workshop, session, lang, "http://localhost/"))
        return
    with force_locale(lang):
        built = tables.build(workshop, lang, session)
        (writers.write_xlsx if fmt == "xlsx" else writers.write_csv_zip)(built, target)


def file_name(workshop, session, lang, extension):
    stem = "-".join(
        part
        for part in (f"workshop{workshop.id}", f"session{session.id}" if session else "", lang)
        if part
    )
    return f"{stem}-{dt.date.today().isoformat()}.{extension}"


@bp.route("/workshops/<int:workshop_id>/export/<fmt>")
def export(workshop_id, fmt):
    """Download a workshop (or `?session=`) as csv, xlsx or json, names in `?lang=`."""
    if fmt not in FORMATS:
        abort(404)
    workshop, session, lang = _scope()
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (send_file closes it)
    try:
        write_export(workshop, fmt, lang, None if fmt == "json" else session, spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    mimetype, extension = FORMATS[fmt]
    name = file_name(workshop, None if fmt == "json" else session, lang, extension)
    return send_file(spool, mimetype=mimetype, as_attachment=True, download_name=name)


@bp.route("/workshops/<int:workshop_id>/report")
def report_page(workshop_id):
    """The printable report, in `?lang=` (default: the viewer's language)."""
    workshop, session, lang = _scope()
    with force_locale(lang):
        return render_template(
            "exports/report.html",
            pdf_available=pdf.available(),
            **report.context(workshop, session, lang),
        )


@bp.route("/workshops/<int:workshop_id>/report.pdf")
def report_pdf(workshop_id):
    """The same report as a PDF file (503 with a message where WeasyPrint cannot run)."""
    workshop, session, lang = _scope()
    if not pdf.available():
        return render_template("error.html", message=str(ERRORS["pdf_unavailable"])), 503
    data = report_pdf_bytes(workshop, session, lang, request.host_url)
    name = file_name(workshop, session, lang, "pdf")
    return send_file(
        io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=name
    )


def report_pdf_bytes(workshop, session, lang, base_url):
    """The report drawn by WeasyPrint; outside a request (`flask export`) it renders in a
    request context of its own at `base_url`."""
    app = current_app._get_current_object()
    outside = (
        nullcontext() if has_request_context() else app.test_request_context(base_url=base_url)
    )
    with outside, force_locale(lang):
        html = render_template(
            "exports/report.html", pdf_available=False, **report.context(workshop, session, lang)
        )
    return pdf.render(html, base_url, app)


@bp.route("/workshops/<int:workshop_id>/report.docx")
def report_docx(workshop_id):
    """The same report as a Word document: headings, tables, charts as pictures."""
    workshop, session, lang = _scope()
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (send_file closes it)
    try:
        write_export(workshop, "docx", lang, session, spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    name = file_name(workshop, session, lang, "docx")
    return send_file(spool, mimetype=DOCX, as_attachment=True, download_name=name)


@bp.route("/import", methods=["GET", "POST"])
def import_page():
    """Upload a JSON export to recreate its workshop here (backup, restore, migration)."""
    message = detail = None
    if request.method == "POST":
        upload = request.files.get("file")
        try:
            if upload is None or not upload.filename:
                raise restore.ImportProblem("file: none was chosen")
            data = restore.read_file(upload.stream)
            workshop = restore.import_workshop(data, current_user, current_app.config["LANGUAGES"])
        except RuleError as error:
            message, detail = error_message(error), getattr(error, "detail", None)
        else:
            return redirect(url_for("facilitator.workshop", workshop_id=workshop.id))
    page = render_template("exports/import.html", message=message, detail=detail)
    return page, 400 if message else 200
