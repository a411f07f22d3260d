"""Machine translation of participants' texts: the engines (apertium.py, libretranslate.py,
behind provider.py), the background worker (worker.py), and the status pages show.

`TRANSLATION` (config.py) chooses the engine: "apertium", "libretranslate" or "off".
"""

import logging

from .apertium import Apertium
from .libretranslate import LibreTranslate
from .worker import Translator

log = logging.getLogger(__name__)


def provider_for(config):
    """The configured engine, or None when translation is off."""
    chosen = config["TRANSLATION"]
    if chosen == "apertium":
        binary, modes = config["APERTIUM_BINARY"], config["APERTIUM_MODES"]
        return Apertium(binary, modes, config["TRANSLATION_TIMEOUT"])
    if chosen == "libretranslate":
        from ..extensions import socketio

        return LibreTranslate(
            config["TRANSLATION_URL"],
            api_key=config["TRANSLATION_API_KEY"] or None,
            timeout=config["TRANSLATION_TIMEOUT"],
            retries=config["TRANSLATION_RETRIES"],
            failures=config["TRANSLATION_BREAKER_FAILURES"],
            pause=config["TRANSLATION_BREAKER_PAUSE"],
            languages=config["LANGUAGES"],
            sleep=socketio.sleep,
        )
    return None


def translator_for(app, socketio):
    """This process's worker (runtime.py), started; None when translation is off."""
    provider = provider_for(app.config)
    if provider is None:
        return None
    translator = Translator(app, provider, socketio)
    translator.start()
    return translator


def status(app):
    """`{"enabled", "available"}`: whether translation is configured, and whether its
    engine answers (as this process last saw). Every page's page-data carries it."""
    translator = app.extensions["facilitation"].translator
    if translator is None:
        return {"enabled": False, "available": False}
    return translator.status()


def committed(app, events):
    """Called by unit_of_work.py after every commit: the worker notes what to translate.
    A failure here is logged: the change is committed and is answered as such (the next
    catch-up translates it)."""
    translator = app.extensions["facilitation"].translator
    if translator is None:
        return
    try:
        translator.committed(events)
    except Exception:
        log.exception("noting %d events for translation failed", len(events))
        translator.catch_up = True
