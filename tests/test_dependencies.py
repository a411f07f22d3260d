"""Everything the app imports is installed by `make run`: each third-party module that
`app.py`, `facilitation/` and `migrations/` import belongs to a package pinned in
requirements.lock (not only in requirements-dev.lock, which only `make test` installs)."""

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules():
    files = [
        ROOT / "app.py",
        *(ROOT / "facilitation").rglob("*.py"),
        *(ROOT / "migrations").rglob("*.py"),
    ]
    found = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"facilitation"}


def pinned(lock):
    text = (ROOT / lock).read_text(encoding="utf-8")
    return {m.lower() for m in re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", text, re.M)}


def normal(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_imported_package_is_in_the_runtime_lock():
    runtime = {normal(n) for n in pinned("requirements.lock")}
    owners = importlib.metadata.packages_distributions()
    modules = imported_modules()
    assert {"flask", "eventlet", "requests", "gevent"} <= modules
    missing = {
        module: owners.get(module)
        for module in modules
        if not any(normal(d) in runtime for d in owners.get(module, []))
    }
    assert missing == {}
