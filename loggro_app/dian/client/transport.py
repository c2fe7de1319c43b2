"""HTTP transport: timeouts, bounded retries with backoff on network errors and 5xx only.

DIAN answers security/format errors as HTTP 500 + SOAP Fault (SPEC §4.1); a *Sender* fault
is the request's own fault and is not retried. Everything else 5xx (Receiver faults, 503,
an HTML error page) and every network error is retried up to `RetryPolicy.attempts`
times; then DianUnavailable tells the caller to retry later (SPEC §4.9 contingency).
Envelopes are rebuilt per attempt: a fresh WS-Security timestamp each time.
Nothing here logs request bodies — they carry the certificate and the documents.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from lxml import etree

from loggro_app.core.errors import DianRejected, DianUnavailable
from loggro_app.dian.client.envelope import ACTION_BASE, CONTENT_TYPE
from loggro_app.dian.client.responses import MalformedAnswer, SoapFault, envelope_result
from loggro_app.tls import shared_context

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """`attempts` counts the first try. SPEC §4.9: DIAN's own guidance is 3 tries, 20 s apart."""

    attempts: int = 3
    backoff: float = 0.5
    factor: float = 2.0
    max_backoff: float = 20.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        return float(min(self.max_backoff, self.backoff * self.factor ** (attempt - 1)))


class Transport:
    def __init__(
        self,
        url: str,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        http: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = url
        self.retry = retry or RetryPolicy()
        # trust_env=False: no proxy variables; the client talks only to the configured URL.
        self._http = http or httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)), trust_env=False,
            verify=shared_context(),
        )
        self._sleep = sleep

    def close(self) -> None:
        self._http.close()

    def call(self, operation: str, make_envelope: Callable[[], bytes]) -> etree._Element:
        """POST the operation and return its `<Op>Result` element."""
        problem = ""
        for attempt in range(1, self.retry.attempts + 1):
            if attempt > 1:
                self._sleep(self.retry.delay(attempt - 1))
            try:
                response = self._post(operation, make_envelope())
            except httpx.TimeoutException:
                problem = "tiempo de espera agotado"
            except httpx.TransportError as exc:
                problem = f"error de red ({type(exc).__name__})"
            else:
                result, problem = self._read(operation, response)
                if result is not None:
                    return result
            log.warning(
                "DIAN %s intento %d/%d: %s", operation, attempt, self.retry.attempts, problem
            )
        raise DianUnavailable(
            f"No fue posible comunicarse con la DIAN ({operation}) tras "
            f"{self.retry.attempts} intentos: {problem}. Intente de nuevo más tarde."
        )

    def _post(self, operation: str, envelope: bytes) -> httpx.Response:
        content_type = f'{CONTENT_TYPE}; action="{ACTION_BASE}{operation}"'
        return self._http.post(self.url, content=envelope, headers={"Content-Type": content_type})

    def _read(self, operation: str, response: httpx.Response) -> tuple[etree._Element | None, str]:
        """(result, "") on success, (None, why) when the attempt may be retried."""
        status = response.status_code
        if 400 <= status < 500:
            raise _client_error(operation, response)
        try:
            return envelope_result(response.content, operation), ""
        except SoapFault as fault:
            if fault.is_sender_fault or status < 500:
                raise
            return None, f"HTTP {status}: {fault.reason}"
        except MalformedAnswer as exc:
            if status >= 500:
                return None, f"HTTP {status}"
            raise DianUnavailable(
                f"La DIAN respondió {operation} con un mensaje ilegible ({exc}). "
                "Consulte el estado del documento antes de reenviarlo."
            ) from None


def _client_error(operation: str, response: httpx.Response) -> DianRejected:
    """A 4xx answer: the service's own SOAP fault when it sent one (it says what is wrong,
    e.g. an unknown URL path); otherwise a message by status (404 is the URL, not the XML)."""
    status = response.status_code
    try:
        envelope_result(response.content, operation)
    except SoapFault as fault:
        return fault
    except MalformedAnswer:
        pass
    if status == 404:
        return DianRejected(
            f"La DIAN respondió {operation} con HTTP 404: la URL del servicio no existe "
            "(revise la dirección configurada).",
            [("HTTP404", "URL del servicio no encontrada")],
        )
    return DianRejected(
        f"La DIAN rechazó la petición {operation} (HTTP {status}): "
        "sobre SOAP mal formado o no autorizado.",
        [(f"HTTP{status}", "Petición rechazada por el servicio web")],
    )
