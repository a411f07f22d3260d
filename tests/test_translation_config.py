"""Which engine the configuration chooses, and that the app runs without one."""

import pytest
from conftest import make_app

from facilitation.config import _translation
from facilitation.translation import status


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("TRANSLATION", "TRANSLATION_URL", "APERTIUM_BINARY", "APERTIUM_MODES"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_without_apertium_translation_is_off(clean_env, tmp_path):
    clean_env.setenv("APERTIUM_BINARY", str(tmp_path / "missing-apertium"))
    assert _translation() == "off"


def test_without_language_pairs_translation_is_off(clean_env, tmp_path):
    clean_env.setenv("APERTIUM_MODES", str(tmp_path / "no-modes"))
    assert _translation() == "off"


def test_a_service_url_chooses_libretranslate(clean_env):
    clean_env.setenv("TRANSLATION_URL", "http://127.0.0.1:5050")
    assert _translation() == "libretranslate"


def test_the_setting_wins(clean_env):
    clean_env.setenv("TRANSLATION_URL", "http://127.0.0.1:5050")
    clean_env.setenv("TRANSLATION", "Off")
    assert _translation() == "off"


def test_an_app_with_translation_off_says_so_and_starts_no_worker(tmp_path):
    app = make_app(tmp_path, TRANSLATION="off")
    assert app.extensions["facilitation"].translator is None
    assert status(app) == {"enabled": False, "available": False}


def test_an_app_whose_engine_is_missing_says_it_is_unavailable(tmp_path):
    app = make_app(
        tmp_path,
        TRANSLATION="apertium",
        APERTIUM_BINARY=str(tmp_path / "missing-apertium"),
        TRANSLATION_RETRY=60,
    )
    assert status(app) == {"enabled": True, "available": False}
