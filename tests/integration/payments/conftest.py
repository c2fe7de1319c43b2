"""Real local servers for the payment adapters: localstripe, the gateway simulator, and a
small HTTP receiver standing in for our webhook endpoint. All on 127.0.0.1, free ports,
stopped at the end of the session."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from loggro_app.payments.colombian_gateway import ColombianGateway
from loggro_app.payments.config import GatewaySettings, StripeSettings
from loggro_app.payments.stripe_gateway import StripeGateway
from loggro_app.standins.launcher import LocalServer, start_simulator
from loggro_app.standins.localstripe.server import register_webhook, start_localstripe

STRIPE_WEBHOOK_SECRET = "whsec_integration_only"
GATEWAY_SECRET = "integration-gateway-secret"
GATEWAY_API_KEY = "integration-api-key"


@dataclass(frozen=True)
class Delivery:
    path: str
    headers: dict[str, str]
    body: bytes


class WebhookReceiver:
    """Records every POST; can be told to fail the next N with HTTP 500 (retry tests)."""

    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        self.failures_left = 0
        self._changed = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._changed:
                    failing = receiver.failures_left > 0
                    receiver.failures_left -= 1 if failing else 0
                    receiver.deliveries.append(Delivery(self.path, dict(self.headers), body))
                    receiver._changed.notify_all()
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def wait_for(self, accept: Callable[[Delivery], bool], timeout: float = 15.0) -> Delivery:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [d for d in self.deliveries if accept(d)]
                if found:
                    return found[0]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError("no matching webhook arrived in time")
                self._changed.wait(remaining)

    def matching(self, accept: Callable[[Delivery], bool]) -> list[Delivery]:
        with self._changed:
            return [d for d in self.deliveries if accept(d)]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture(scope="session")
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver()
    yield server
    server.close()


@pytest.fixture(scope="session")
def localstripe(receiver: WebhookReceiver) -> Iterator[LocalServer]:
    with start_localstripe() as server:
        register_webhook(server.url, "loggro", receiver.url + "/stripe", STRIPE_WEBHOOK_SECRET)
        yield server


@pytest.fixture(scope="session")
def stripe_gateway(localstripe: LocalServer) -> StripeGateway:
    settings = StripeSettings(
        api_base=localstripe.url,
        js_url=localstripe.url + "/js.stripe.com/v3/",
        webhook_secret=STRIPE_WEBHOOK_SECRET,
    )
    return StripeGateway(settings)


@pytest.fixture(scope="session")
def simulator() -> Iterator[LocalServer]:
    with start_simulator(
        GATEWAY_SECRET, api_key=GATEWAY_API_KEY, sweep_seconds=0.2, retry_backoff=0.2
    ) as server:
        yield server


@pytest.fixture(scope="session")
def colombian_gateway(simulator: LocalServer) -> Iterator[ColombianGateway]:
    settings = GatewaySettings(
        base_url=simulator.url, webhook_secret=GATEWAY_SECRET, api_key=GATEWAY_API_KEY
    )
    gateway = ColombianGateway(settings)
    yield gateway
    gateway.close()
