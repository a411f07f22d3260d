"""A LibreTranslate-compatible HTTP service (`TRANSLATION_URL`), where a deployment has one.

`POST {url}/translate` with `{"q": [texts], "source", "target", "format": "text"}` (and
`api_key` when one is set) answers `{"translatedText": [texts]}`. Each call has a timeout;
a timeout, a refused connection, a 429 or a 5xx is tried again up to `retries` times, after
`backoff * 2**attempt` seconds plus up to as much again of random jitter. A circuit breaker
spares a service that is down: after `failures` calls in a row that failed (retries
included), calls fail at once for `pause` seconds; then one call is let through (half
open): its success closes the breaker, its failure opens it for another pause.
"""

import random
import threading
import time

import requests

from .provider import Provider, ProviderError

RETRIED = {429, 500, 502, 503, 504}


class CircuitOpen(ProviderError):
    """The breaker is open: the service is not called until the pause is over."""


class Breaker:
    """Consecutive failed calls, and when the breaker opened. `clock` is time.monotonic."""

    def __init__(self, failures, pause, clock=time.monotonic):
        self.limit, self.pause, self.clock = failures, pause, clock
        self.failures = 0
        self.opened_at = None
        self.trial = False  # a half-open call is under way
        self.lock = threading.Lock()

    @property
    def state(self):
        if self.opened_at is None:
            return "closed"
        return "half_open" if self.clock() - self.opened_at >= self.pause else "open"

    def admit(self):
        """Let a call through, or raise CircuitOpen."""
        with self.lock:
            state = self.state
            if state == "closed":
                return
            if state == "half_open" and not self.trial:
                self.trial = True
                return
            raise CircuitOpen("the translation service's circuit breaker is open")

    def succeeded(self):
        with self.lock:
            self.failures, self.opened_at, self.trial = 0, None, False

    def failed(self):
        with self.lock:
            self.failures += 1
            if self.trial or self.failures >= self.limit:
                self.opened_at = self.clock()
            self.trial = False


class LibreTranslate(Provider):
    name = "libretranslate"

    def __init__(
        self,
        url,
        api_key=None,
        timeout=10.0,
        retries=2,
        backoff=0.5,
        failures=5,
        pause=30.0,
        languages=("en", "es", "fr"),
        sleep=time.sleep,
        clock=time.monotonic,
    ):
        self.url = url.rstrip("/") + "/translate"
        self.api_key, self.timeout, self.retries, self.backoff = api_key, timeout, retries, backoff
        self.breaker = Breaker(failures, pause, clock)
        self.languages = set(languages)
        self.sleep = sleep
        self.http = requests.Session()

    def supports(self, source, target):
        return source != target and {source, target} <= self.languages

    def translate(self, texts, source, target):
        if not texts:
            return []
        self.breaker.admit()
        try:
            result = self._with_retries(texts, source, target)
        except ProviderError:
            self.breaker.failed()
            raise
        self.breaker.succeeded()
        return result

    def _with_retries(self, texts, source, target):
        body = {"q": list(texts), "source": source, "target": target, "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        attempt = 0
        while True:
            try:
                return self._post(body, len(texts))
            except _Retry as error:
                if attempt >= self.retries:
                    raise ProviderError(str(error)) from None
            delay = self.backoff * 2**attempt
            self.sleep(delay + random.uniform(0, delay))
            attempt += 1

    def _post(self, body, count):
        try:
            response = self.http.post(self.url, json=body, timeout=self.timeout)
        except requests.RequestException as error:
            raise _Retry(f"translation service unreachable: {error}") from None
        if response.status_code in RETRIED:
            raise _Retry(f"translation service answered {response.status_code}")
        if response.status_code != 200:
            raise ProviderError(f"translation service answered {response.status_code}")
        try:
            translated = response.json()["translatedText"]
        except (ValueError, KeyError, TypeError):
            raise ProviderError("translation service answered no translatedText") from None
        if isinstance(translated, str):
            translated = [translated]
        if not isinstance(translated, list) or len(translated) != count:
            raise ProviderError("translation service answered another number of texts")
        if not all(isinstance(t, str) for t in translated):
            raise ProviderError("translation service answered something else than texts")
        return translated

    def ready(self):
        return self.breaker.state != "open"

    def probe(self):
        source, target = sorted(self.languages)[:2]
        try:
            return len(self.translate(["hello"], source, target)) == 1
        except ProviderError:
            return False


class _Retry(Exception):
    """A failure worth another attempt."""
