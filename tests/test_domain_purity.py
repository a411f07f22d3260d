"""The domain package stays pure Python: no Flask, no SQLAlchemy imports anywhere in it."""

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parent.parent / "facilitation" / "domain"
FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "flask_socketio", "flask_babel")


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None))
            in ("__import__", "import_module")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            yield str(node.args[0].value)


def forbidden(name):
    root = name.split(".")[0].lower()
    return root in FORBIDDEN or root.startswith(("flask", "sqlalchemy"))


def domain_files():
    files = sorted(DOMAIN.rglob("*.py"))
    assert files, f"no Python files under {DOMAIN}"
    return files


@pytest.mark.parametrize("path", domain_files(), ids=lambda p: p.name)
def test_domain_module_imports_no_web_or_database_library(path):
    bad = [name for name in imported_modules(path) if forbidden(name)]
    assert bad == [], f"{path.name} imports {bad}"


def test_checker_notices_forbidden_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\nfrom flask import g\nimport sqlalchemy.orm\n__import__('flask_login')\n"
    )
    assert [n for n in imported_modules(sample) if forbidden(n)] == [
        "flask",
        "sqlalchemy.orm",
        "flask_login",
    ]
