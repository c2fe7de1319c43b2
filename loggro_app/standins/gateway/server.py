"""Local stand-in for a Colombian payment gateway (PSE and cash), as a small ASGI app.

    python -m loggro_app.standins.gateway.server --port 8430 \
        --notify-secret-env LOGGRO_GATEWAY_SECRET

API (JSON):  POST /api/payments            create {amount, currency, reference, method pse|cash,
                                            description, return_url, notify_url, expires_at}
             GET  /api/payments/{id}       status, for reconciliation
             POST /api/payments/{id}/cancel  expire it now
Pages:       GET/POST /checkout/{id}       PSE: choose bank, *Aprobar* / *Rechazar*
             GET /admin, POST /admin/cash/{id}/paid   back office: mark cash *Pagado*
Every outcome (approved, declined, expired) is POSTed to the payment's notify URL, signed
with `signing.sign`. It listens on 127.0.0.1 only and notifies loopback URLs only: it is a
development tool, and must not become a way to make requests to other hosts.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
from collections.abc import AsyncIterator
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from loggro_app.core.clock import Clock, system_clock
from loggro_app.payments.config import is_loopback
from loggro_app.payments.gateway import IllegalTransition, PaymentStatus
from loggro_app.standins.gateway.pages import back_office_page, checkout_page, message_page
from loggro_app.standins.gateway.store import BANKS, Notifier, PaymentBook, SimPayment


class BadPayment(ValueError):
    pass


def _new_payment(data: dict[str, Any], clock: Clock) -> SimPayment:
    """A payment from the API's JSON, or BadPayment with a Spanish message."""
    try:
        amount = Decimal(str(data["amount"]))
        expires_at = datetime.fromisoformat(str(data["expires_at"]))
        reference, method = str(data["reference"]), str(data["method"])
        notify_url, return_url = str(data["notify_url"]), str(data["return_url"])
    except (KeyError, TypeError, InvalidOperation, ValueError) as error:
        raise BadPayment(f"Dato faltante o inválido: {error}") from error
    if not amount.is_finite() or amount <= 0:
        raise BadPayment("El valor debe ser positivo.")
    if method not in ("pse", "cash"):
        raise BadPayment("El medio de pago debe ser pse o cash.")
    if not 0 < len(reference) <= 64:
        raise BadPayment("La referencia debe tener entre 1 y 64 caracteres.")
    if expires_at.tzinfo is None or expires_at <= clock():
        raise BadPayment("La fecha de vencimiento debe ser futura y con zona horaria.")
    if urlsplit(notify_url).scheme != "http" or not is_loopback(notify_url):
        raise BadPayment("El simulador solo notifica a direcciones http de 127.0.0.1.")
    if urlsplit(return_url).scheme not in ("http", "https"):
        raise BadPayment("La URL de retorno debe ser http o https.")
    return SimPayment(
        id="sim_" + secrets.token_hex(8),
        reference=reference,
        amount=amount,
        currency=str(data.get("currency", "COP")).upper(),
        method=method,
        description=str(data.get("description", "")),
        return_url=return_url,
        notify_url=notify_url,
        expires_at=expires_at,
        payment_code="".join(str(secrets.randbelow(10)) for _ in range(12)),
    )


class _Routes:
    """The HTTP handlers; all state lives in the PaymentBook."""

    def __init__(self, book: PaymentBook, clock: Clock, api_key: str) -> None:
        self.book, self.clock, self.api_key = book, clock, api_key

    def authorized(self, request: Request) -> bool:
        given = request.headers.get("Authorization", "")
        return not self.api_key or secrets.compare_digest(given, f"Bearer {self.api_key}")

    async def create(self, request: Request) -> Response:
        if not self.authorized(request):
            return JSONResponse({"error": "No autorizado."}, status_code=401)
        try:
            payment = self.book.add(_new_payment(await request.json(), self.clock))
        except (BadPayment, ValueError) as error:
            return JSONResponse({"error": str(error)}, status_code=422)
        checkout = str(request.url_for("checkout", payment_id=payment.id))
        return JSONResponse({**payment.public(), "checkout_url": checkout}, status_code=201)

    async def show(self, request: Request) -> Response:
        payment = self.book.get(request.path_params["payment_id"])
        if not self.authorized(request) or payment is None:
            return JSONResponse({"error": "Pago no encontrado."}, status_code=404)
        return JSONResponse(payment.public())

    async def cancel(self, request: Request) -> Response:
        if not self.authorized(request):
            return JSONResponse({"error": "No autorizado."}, status_code=401)
        try:
            payment = self.book.settle(request.path_params["payment_id"], PaymentStatus.EXPIRED)
        except KeyError:
            return JSONResponse({"error": "Pago no encontrado."}, status_code=404)
        except IllegalTransition as error:
            return JSONResponse({"error": error.message}, status_code=409)
        return JSONResponse(payment.public())

    async def checkout(self, request: Request) -> Response:
        payment = self.book.get(request.path_params["payment_id"])
        if payment is None:
            return HTMLResponse(message_page("Pago", "El pago no existe."), status_code=404)
        if request.method == "GET":
            return HTMLResponse(checkout_page(payment))
        form = await request.form()
        decision, bank = form.get("decision"), str(form.get("bank", ""))
        if payment.method != "pse" or decision not in ("approve", "reject") or bank not in BANKS:
            return HTMLResponse(message_page("Pago PSE", "Solicitud inválida."), 400)
        status = PaymentStatus.APPROVED if decision == "approve" else PaymentStatus.DECLINED
        try:
            payment = self.book.settle(payment.id, status, bank=bank)
        except IllegalTransition as error:
            return HTMLResponse(message_page("Pago PSE", error.message), status_code=409)
        query = urlencode({"reference": payment.reference, "status": payment.status.value})
        separator = "&" if "?" in payment.return_url else "?"
        return RedirectResponse(f"{payment.return_url}{separator}{query}", status_code=303)

    async def admin(self, request: Request) -> Response:
        return HTMLResponse(back_office_page(self.book.pending_cash()))

    async def mark_paid(self, request: Request) -> Response:
        payment = self.book.get(request.path_params["payment_id"])
        if payment is None or payment.method != "cash":
            return HTMLResponse(message_page("Efectivo", "Referencia no encontrada."), 404)
        try:
            self.book.settle(payment.id, PaymentStatus.APPROVED)
        except IllegalTransition as error:
            return HTMLResponse(message_page("Efectivo", error.message), status_code=409)
        return RedirectResponse("/admin", status_code=303)

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"})


def create_app(
    notify_secret: str,
    *,
    api_key: str = "",
    clock: Clock = system_clock,
    sweep_seconds: float = 1.0,
    retry_backoff: float = 0.5,
) -> Starlette:
    notifier = Notifier(notify_secret, clock, backoff=retry_backoff)
    book = PaymentBook(notifier, clock)
    routes = _Routes(book, clock, api_key)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async def sweep() -> None:
            # Expiry must happen even when nobody looks at the payment.
            while True:
                book.expire_due()
                await asyncio.sleep(sweep_seconds)

        sweeper = asyncio.create_task(sweep())
        try:
            yield
        finally:
            sweeper.cancel()
            await notifier.drain()

    return Starlette(
        routes=[
            Route("/api/payments", routes.create, methods=["POST"]),
            Route("/api/payments/{payment_id}", routes.show, methods=["GET"]),
            Route("/api/payments/{payment_id}/cancel", routes.cancel, methods=["POST"]),
            Route("/checkout/{payment_id}", routes.checkout, methods=["GET", "POST"],
                  name="checkout"),
            Route("/admin", routes.admin, methods=["GET"]),
            Route("/admin/cash/{payment_id}/paid", routes.mark_paid, methods=["POST"]),
            Route("/health", routes.health, methods=["GET"]),
        ],
        lifespan=lifespan,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Simulador local de pasarela PSE / efectivo")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--notify-secret-env", default="LOGGRO_GATEWAY_SECRET")
    parser.add_argument("--api-key-env", default="LOGGRO_GATEWAY_API_KEY")
    parser.add_argument("--sweep-seconds", type=float, default=1.0)
    parser.add_argument("--retry-backoff", type=float, default=0.5)
    args = parser.parse_args(argv)
    # The secret travels by environment variable name so it never shows in `ps`.
    secret = os.environ.get(args.notify_secret_env, "")
    if not secret:
        parser.error(f"la variable {args.notify_secret_env} debe contener el secreto")
    app = create_app(
        secret,
        api_key=os.environ.get(args.api_key_env, ""),
        sweep_seconds=args.sweep_seconds,
        retry_backoff=args.retry_backoff,
    )
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
