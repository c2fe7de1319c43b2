"""localstripe, the stateful fake Stripe server, run locally for development and tests.

    server = start_localstripe()                     # 127.0.0.1, free port, in-memory store
    register_webhook(server.url, "loggro", "http://127.0.0.1:3000/webhooks/stripe",
                     secret, events=["payment_intent.succeeded", ...])
    ... StripeSettings(api_base=server.url, js_url=server.url + "/js.stripe.com/v3/") ...
    server.stop()

It runs through `localstripe_launcher` (see there why not `python -m localstripe`).
"""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from loggro_app.payments.stripe_gateway import EVENT_STATUS
from loggro_app.standins.launcher import LocalServer, launch

JS_PATH = "/js.stripe.com/v3/"
PAYMENT_EVENTS = tuple(EVENT_STATUS)


def start_localstripe(*, port: int | None = None, timeout: float = 20.0) -> LocalServer:
    return launch(
        "loggro_app.standins.localstripe.launcher", [], JS_PATH, port=port, timeout=timeout
    )


def register_webhook(
    base_url: str,
    name: str,
    url: str,
    secret: str,
    events: Sequence[str] | None = PAYMENT_EVENTS,
) -> None:
    """Tell localstripe to POST events to `url`, signed with `secret` (Stripe's scheme).

    Registering the same name again replaces it; `events=None` sends every event type.
    """
    payload: dict[str, object] = {"url": url, "secret": secret}
    if events is not None:
        payload["events"] = list(events)
    response = httpx.post(f"{base_url}/_config/webhooks/{name}", json=payload, timeout=5.0)
    response.raise_for_status()
