"""The locks `make` installs: complete, hashed, and in step with pyproject.toml."""

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from facilitation.config import ROOT

PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+) \\$")


def read_lock(name):
    """{package: (version, number of hashes)} from a pip-compile output."""
    pins, current = {}, None
    for line in (ROOT / name).read_text().splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match[1])
            pins[current] = [match[2], 0]
        elif line.strip().startswith("--hash=sha256:"):
            pins[current][1] += 1
        elif line and not line.startswith((" ", "#")):
            raise AssertionError(f"{name}: unexpected line {line!r}")
    return pins


def project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_every_pin_carries_hashes():
    for name in ("requirements.lock", "requirements-dev.lock"):
        pins = read_lock(name)
        assert pins, name
        assert [p for p, (_v, hashes) in pins.items() if not hashes] == [], name


def test_declared_dependencies_are_pinned_within_their_ranges():
    declared = {
        "requirements.lock": project()["dependencies"],
        "requirements-dev.lock": project()["dependencies"]
        + project()["optional-dependencies"]["dev"],
    }
    for lock, requirements in declared.items():
        pins = read_lock(lock)
        for text in requirements:
            requirement = Requirement(text)
            version = pins[canonicalize_name(requirement.name)][0]
            assert requirement.specifier.contains(version), (lock, text, version)


def test_tests_run_on_the_versions_the_app_runs_on():
    runtime, dev = read_lock("requirements.lock"), read_lock("requirements-dev.lock")
    assert {p: v for p, (v, _h) in runtime.items() if dev[p][0] != v} == {}
