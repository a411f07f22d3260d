"""The LibreTranslate provider's contract, against a LibreTranslate-compatible HTTP server
the test starts: the request it sends, timeouts, retries with backoff, the circuit breaker."""

import pytest
from translation_kit import FakeLibreTranslate

from facilitation.translation.libretranslate import CircuitOpen, LibreTranslate
from facilitation.translation.provider import ProviderError


@pytest.fixture
def service():
    fake = FakeLibreTranslate()
    yield fake
    fake.close()


class Clock:
    """The breaker's clock, moved by the test."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def provider(service, sleeps=None, **options):
    waits = [] if sleeps is None else sleeps
    return LibreTranslate(service.url, sleep=waits.append, **options)


def test_texts_go_in_one_request_with_the_api_key(service):
    engine = provider(service, api_key="secret-key")
    translated = engine.translate(["Falta de financiación", "Hola\nmundo"], "es", "en")
    assert translated == ["[en] Falta de financiación", "[en] Hola\nmundo"]
    [sent] = service.requests
    assert sent == {
        "path": "/translate",
        "q": ["Falta de financiación", "Hola\nmundo"],
        "source": "es",
        "target": "en",
        "format": "text",
        "api_key": "secret-key",
    }


def test_without_a_key_none_is_sent(service):
    provider(service).translate(["Hola"], "es", "en")
    assert "api_key" not in service.requests[0]


def test_server_errors_are_retried_with_growing_backoff(service):
    sleeps = []
    engine = provider(service, sleeps, retries=3, backoff=0.5)
    service.fail(2, status=503)
    assert engine.translate(["Hola"], "es", "fr") == ["[fr] Hola"]
    assert service.calls() == 3
    assert len(sleeps) == 2
    assert 0.5 <= sleeps[0] <= 1.0 and 1.0 <= sleeps[1] <= 2.0  # base * 2**n, plus jitter


def test_errors_beyond_the_retries_fail(service):
    engine = provider(service, retries=2, backoff=0.01)
    service.fail(10, status=500)
    with pytest.raises(ProviderError):
        engine.translate(["Hola"], "es", "en")
    assert service.calls() == 3


def test_a_refusal_is_not_retried(service):
    engine = provider(service, retries=3)
    service.fail(1, status=400)
    with pytest.raises(ProviderError):
        engine.translate(["Hola"], "es", "en")
    assert service.calls() == 1


def test_a_slow_service_times_out_and_is_retried(service):
    engine = provider(service, retries=1, backoff=0.01, timeout=0.2)
    service.delay = 1.0
    with pytest.raises(ProviderError):
        engine.translate(["Hola"], "es", "en")
    assert service.calls() == 2
    service.delay = 0.0
    assert engine.translate(["Hola"], "es", "en") == ["[en] Hola"]


def test_an_unreachable_service_is_an_error(service):
    service.close()
    engine = provider(service, retries=1, backoff=0.01, timeout=1.0)
    with pytest.raises(ProviderError):
        engine.translate(["Hola"], "es", "en")
    assert engine.probe() is False


def test_the_breaker_opens_after_failures_then_half_opens_after_the_pause(service):
    clock = Clock()
    engine = provider(service, retries=0, failures=2, pause=30.0, clock=clock)
    service.fail(100)
    for _ in range(2):
        with pytest.raises(ProviderError):
            engine.translate(["Hola"], "es", "en")
    assert engine.breaker.state == "open"
    assert engine.ready() is False
    with pytest.raises(CircuitOpen):
        engine.translate(["Hola"], "es", "en")
    assert service.calls() == 2  # not called while open

    clock.now += 30.0
    assert engine.breaker.state == "half_open"
    with pytest.raises(ProviderError):  # the one trial call fails: open for another pause
        engine.translate(["Hola"], "es", "en")
    assert service.calls() == 3
    assert engine.breaker.state == "open"
    with pytest.raises(CircuitOpen):
        engine.translate(["Hola"], "es", "en")

    clock.now += 30.0
    service.fail(0)
    assert engine.translate(["Hola"], "es", "en") == ["[en] Hola"]  # the trial succeeds
    assert engine.breaker.state == "closed"
    assert engine.translate(["Adiós"], "es", "en") == ["[en] Adiós"]
    assert service.calls() == 5


def test_a_success_resets_the_count_of_failures(service):
    engine = provider(service, retries=0, failures=2, clock=Clock())
    service.fail(1)
    with pytest.raises(ProviderError):
        engine.translate(["Hola"], "es", "en")
    assert engine.translate(["Hola"], "es", "en") == ["[en] Hola"]
    service.fail(1)
    with pytest.raises(ProviderError):
        engine.translate(["Hola"], "es", "en")
    assert engine.breaker.state == "closed"


def test_languages_it_is_configured_for():
    engine = LibreTranslate("http://127.0.0.1:9", languages=("en", "es", "fr"))
    assert engine.supports("es", "fr") and not engine.supports("es", "es")
    assert not engine.supports("es", "de")
