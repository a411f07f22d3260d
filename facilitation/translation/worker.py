"""Background translation, one worker per process (held by the runtime, runtime.py).

After a unit of work commits (unit_of_work.py), `committed(events)` notes the initiatives
and items whose text may have changed, and returns at once: nothing waits for a
translation. The worker, a background task, then reads which of their texts lack a current
translation (services/translations.py `needed`), translates them in batches per language
pair, stores them, and records the subjects' events in a unit of work of its own: the
translations reach every screen as ordinary seq-numbered deltas.

When it starts, and whenever the engine answers again after failing, a catch-up pass
translates every text of the multilingual workshops that lacks a current translation:
what other processes committed, what was posted while the engine was down. A failure
stores nothing of the failed batch (the originals are untouched), marks the engine
unavailable (`translation:status` to every connection) and is tried again every
TRANSLATION_RETRY seconds by a short probe. Several processes may translate the same text
at once: storing is an upsert (services/translations.py), the second one changes nothing.
"""

import logging
import threading

from flask import g

from ..services import translations
from ..services.events import InitiativeUpserted, ItemsChanged
from .provider import ProviderError

log = logging.getLogger(__name__)
NAMESPACE = "/live"


class Translator:
    """`provider`: the engine (provider.py); `socketio`: the server that runs the task and
    sends `translation:status`."""

    def __init__(self, app, provider, socketio):
        self.app, self.provider, self.socketio = app, provider, socketio
        self.batch = app.config["TRANSLATION_BATCH"]
        self.retry = app.config["TRANSLATION_RETRY"]
        self.initiative_ids, self.item_ids = set(), set()
        self.catch_up = True
        self.available = provider.ready()
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.stopping = False
        self.started = False

    def status(self):
        return {"enabled": True, "available": self.available}

    def start(self):
        if not self.started:
            self.started = True
            self.socketio.start_background_task(self._loop)

    def stop(self):
        self.stopping = True
        self.wake.set()

    def committed(self, events):
        """Note the subjects of committed events (called after every commit; never
        blocks). The worker's own re-broadcasts are not noted again."""
        if g.get("translation_worker"):
            return
        noted = False
        with self.lock:
            for event in events:
                if isinstance(event, InitiativeUpserted):
                    self.initiative_ids.add(event.initiative_id)
                    noted = True
                elif isinstance(event, ItemsChanged):
                    self.item_ids.update(event.item_ids)
                    noted = True
        if noted:
            self.wake.set()

    # the background task ---------------------------------------------------------------

    def _loop(self):
        while not self.stopping:
            try:
                with self.app.app_context():
                    self._pass()
            except Exception:
                log.exception("translation pass failed")
                self.catch_up = True
            with self.lock:
                waiting = not (self.initiative_ids or self.item_ids)
            if waiting or not self.available:
                self.wake.wait(self.retry if (self.catch_up or not self.available) else None)
                self.wake.clear()

    def _pass(self):
        if not self.available:
            if not self.provider.probe():
                return
            self._set_available(True)
            self.catch_up = True
        with self.lock:
            initiative_ids, self.initiative_ids = self.initiative_ids, set()
            item_ids, self.item_ids = self.item_ids, set()
        catch_up, self.catch_up = self.catch_up, False
        texts = translations.needed(initiative_ids, item_ids) if initiative_ids or item_ids else []
        if catch_up:
            texts += translations.needed(everything=True)
        if texts and not self.translate(texts):
            self.catch_up = True  # what failed is found again by the next catch-up

    def translate(self, texts):
        """Translate and store `texts` (translations.Text), a batch per language pair at a
        time; False when the engine failed (what was stored stays)."""
        pairs = {}
        seen = set()
        for text in texts:
            for target in text.targets:
                key = (text.subject, text.subject_id, text.field, target)
                if key not in seen:
                    seen.add(key)
                    pairs.setdefault((text.language, target), []).append(text)
        for (source, target), group in sorted(pairs.items()):
            if not self.provider.supports(source, target):
                continue
            for start in range(0, len(group), self.batch):
                chunk = group[start : start + self.batch]
                unique = list(dict.fromkeys(t.text for t in chunk))
                try:
                    done = self.provider.translate(unique, source, target)
                    translated = dict(zip(unique, done, strict=True))
                except ProviderError as error:
                    log.warning("translation %s-%s failed: %s", source, target, error)
                    self._set_available(False)
                    return False
                except Exception:
                    log.exception("translation %s-%s failed", source, target)
                    self._set_available(False)
                    return False
                self._set_available(True)
                self._store([(t, target, translated[t.text]) for t in chunk])
        return True

    def _store(self, results):
        from .. import unit_of_work

        g.translation_worker = True
        try:
            unit_of_work.run(lambda: translations.store_machine(results))
        finally:
            g.translation_worker = False

    def _set_available(self, available):
        if available == self.available:
            return
        self.available = available
        log.warning("machine translation is %s", "available" if available else "unavailable")
        self.socketio.emit("translation:status", self.status(), namespace=NAMESPACE)
