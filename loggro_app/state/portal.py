"""Mis planes y pagos: the plan, buying extra document packs, and the packs bought."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from loggro_app.core.clock import aware, local_text, spoken_text
from loggro_app.core.errors import LoggroError, PermissionDenied, ValidationError
from loggro_app.core.money import format_cop
from loggro_app.core.origins import return_origin
from loggro_app.core.plans import default_catalog
from loggro_app.core.usage import remaining_per_pack
from loggro_app.db import session_scope
from loggro_app.payments.cash_reference import render_cash_reference_pdf
from loggro_app.payments.gateway import LABELS, PaymentStatus
from loggro_app.services import ledger, purchases
from loggro_app.services.payment_gateways import gateway_for, gateway_named, payment_settings
from loggro_app.services.scope import Scope
from loggro_app.settings import get_settings
from loggro_app.state.auth import LOGIN_ROUTE, acting_scope
from loggro_app.state.blocking import with_session

METHOD_LABELS = {"card": "Tarjeta de crédito o débito", "pse": "PSE (transferencia bancaria)",
                 "cash": "Efectivo (referencia de pago)"}
PACK_OPTIONS = [{"code": str(p.size), "name": f"Paquete de {p.size} documentos"}
                for p in default_catalog().packs]
# One colour per payment state, so a glance at the list tells paid from pending from lost.
STATUS_COLORS = {"approved": "grass", "pending": "amber", "declined": "red", "expired": "gray"}
PACK_COUNT_HINT = f"Entre 1 y {default_catalog().max_pack_count} paquetes por compra."


class PortalState(rx.State):
    buy_open: bool = False
    step: int = 1  # 1 choose packs, 2 summary + method + terms, 3 pay
    pack_size: str = ""
    pack_count: str = "1"
    unit_price: str = ""
    documents: int = 0
    total: str = ""
    errors: dict[str, str] = {}
    method: str = "card"
    terms: bool = False
    terms_open: bool = False
    reference: str = ""
    pay_status: str = ""
    redirect_url: str = ""
    card_message: str = ""
    busy: bool = False
    purchases: list[dict[str, str]] = []

    async def _scope(self) -> Scope | None:
        return await acting_scope(self)

    def _load_purchases(self, scope: Scope) -> None:
        with session_scope() as session:
            purchases.expire_overdue(session=session, organization_id=scope.organization_id,
                                     gateways=gateway_named)
            rows = purchases.list_purchases(session=session, scope=scope)
            purchased = ledger.balance(session=session,
                                       organization_id=scope.organization_id).purchased_available
        approved = [r for r in reversed(rows) if r.status == PaymentStatus.APPROVED.value]
        left = dict(zip((r.id for r in approved),
                        remaining_per_pack([r.documents for r in approved], purchased),
                        strict=True))
        self.purchases = [{
            "date": local_text(r.created_at), "reference": r.reference,
            "method_code": r.method, "pending": "1" if r.status == "pending" else "",
            "expires": spoken_text(aware(r.expires_at)),
            "documents": f"{r.pack_count} × {r.pack_size} = {r.documents}",
            "method": METHOD_LABELS.get(r.method, r.method),
            "status": LABELS[PaymentStatus(r.status)].capitalize(),
            "status_color": STATUS_COLORS.get(r.status, "gray"),
            "remaining": str(left.get(r.id, 0)) if r.status == "approved" else "—",
            "total": format_cop(r.total),
        } for r in rows]
        shown = next((r for r in rows if r.reference == self.reference), None)
        if shown is not None:  # the open dialog follows its purchase (approved by webhook)
            self.pay_status = LABELS[PaymentStatus(shown.status)].capitalize()

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        await asyncio.to_thread(self._load_purchases, scope)
        return _bank_return_message(dict(self.router.url.query_parameters))

    # -- buying: step 1, packs ----------------------------------------------------------
    @rx.event
    async def open_buy(self):  # type: ignore[no-untyped-def]
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        if not scope.is_principal:
            return rx.toast.error(purchases.ONLY_PRINCIPAL)
        self.step, self.pack_size, self.pack_count, self.errors = 1, "", "1", {}
        self.method, self.terms, self.reference, self.pay_status = "card", False, "", ""
        self.unit_price = self.total = self.redirect_url = self.card_message = ""
        self.documents, self.buy_open = 0, True
        return None

    @rx.event
    def set_buy_open(self, value: bool) -> None:
        self.buy_open = value

    def _requote(self) -> None:
        self.errors = {}
        self.unit_price, self.total, self.documents = "", "", 0
        if not self.pack_size:
            return
        try:
            q = purchases.quote(self.pack_size, self.pack_count)
        except ValidationError as exc:
            self.errors = exc.errors
            if "pack_size" not in exc.errors:
                self.unit_price = format_cop(default_catalog().pack(self.pack_size).price)
            return
        self.unit_price, self.total = format_cop(q.unit_price), format_cop(q.total)
        self.documents = q.documents

    @rx.event
    def set_pack_size(self, value: str) -> None:
        self.pack_size = value
        self._requote()

    @rx.event
    def set_pack_count(self, value: str) -> None:
        self.pack_count = value
        self._requote()

    @rx.event
    def to_summary(self) -> None:
        if not self.pack_size:
            self.errors = {"pack_size": "Selecciona el paquete que deseas comprar."}
            return
        self._requote()
        if not self.errors:
            self.step = 2

    # -- step 2: summary, method, terms ------------------------------------------------
    @rx.event
    def set_method(self, value: str) -> None:
        self.method = value

    @rx.event
    def set_terms(self, value: bool) -> None:
        self.terms = bool(value)

    @rx.event
    def set_terms_open(self, value: bool) -> None:
        self.terms_open = value

    @rx.event
    def back(self) -> None:
        self.step, self.errors = max(1, self.step - 1), {}

    @rx.event
    async def continue_payment(self):  # type: ignore[no-untyped-def]
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        origin = return_origin(str(self.router.url), get_settings().public_backend_url)
        self.errors, self.busy = {}, True
        try:
            purchase, start = await with_session(  # the gateway is called over the network
                purchases.start_purchase, scope=scope, pack_size=self.pack_size,
                pack_count=self.pack_count, method=self.method, terms_accepted=self.terms,
                gateway=gateway_for(self.method),
                return_url=f"{origin}/portal", notify_url=_notify_url(self.method),
            )
        except ValidationError as exc:
            self.errors = exc.errors
            return None
        except (PermissionDenied, LoggroError) as exc:
            await asyncio.to_thread(self._load_purchases, scope)  # shows as rechazada
            return rx.toast.error(exc.message)
        finally:
            self.busy = False
        self.reference, self.step = purchase.reference, 3
        self.pay_status = "Pendiente de pago"
        self.redirect_url = start.redirect_url or ""
        await asyncio.to_thread(self._load_purchases, scope)
        if self.method == "card":
            return rx.call_script(_mount_card_js(payment_settings().stripe.js_url,
                                                 payment_settings().stripe.publishable_key))
        return None

    # -- step 3: paying ------------------------------------------------------------------
    @rx.event
    def pay_card(self):  # type: ignore[no-untyped-def]
        self.card_message = "Procesando el pago…"
        return rx.call_script(_CARD_TOKEN_JS, callback=PortalState.card_token_ready)

    @rx.event
    async def card_token_ready(self, result: dict[str, Any]):  # type: ignore[no-untyped-def]
        from loggro_app.services.card_payments import confirm_card

        if not isinstance(result, dict) or result.get("error"):
            message = (result or {}).get("error") if isinstance(result, dict) else None
            self.card_message = f"No se pudo leer la tarjeta: {message or 'revisa los datos'}."
            return None
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        try:
            outcome = await with_session(confirm_card, scope=scope, reference=self.reference,
                                         token=str(result.get("token", "")))
        except LoggroError as exc:
            self.card_message = exc.message
            return None
        if outcome.requires_action:  # the secret goes to Stripe.js, never into page state
            self.card_message = "Tu banco pide confirmar el pago…"
            return rx.call_script(_confirm_js(outcome.client_secret),
                                  callback=PortalState.card_authenticated)
        self.card_message = outcome.message
        return None

    @rx.event
    def card_authenticated(self, result: dict[str, Any]) -> None:
        failed = not isinstance(result, dict) or bool(result.get("error"))
        self.card_message = ("El banco no confirmó el pago. Puedes intentarlo de nuevo." if failed
                             else "Pago enviado. Esperando la confirmación de Stripe…")

    @rx.event
    async def download_reference(self, reference: str = ""):  # type: ignore[no-untyped-def]
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        row = await with_session(purchases.purchase_by_reference, scope=scope,
                                 reference=reference or self.reference)
        pdf = await asyncio.to_thread(  # weasyprint takes a while: not on the shared loop
            render_cash_reference_pdf, reference=row.reference,
            payment_code=row.payment_code, amount=row.total,
            expires_at=aware(row.expires_at), description=purchases.description_of(row))
        return rx.download(data=pdf, filename=f"referencia-{row.reference}.pdf")


    # -- pending checkouts: cancel or pick up again ---------------------------------------
    @rx.event
    async def cancel_purchase(self, reference: str):  # type: ignore[no-untyped-def]
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)

        def cancel() -> None:
            with session_scope() as session:
                purchases.cancel_purchase(session=session, scope=scope, reference=reference,
                                          gateways=gateway_named)

        try:
            await asyncio.to_thread(cancel)  # the gateway is called over the network
        except LoggroError as exc:
            return rx.toast.error(exc.message)
        await asyncio.to_thread(self._load_purchases, scope)
        return rx.toast.success(f"Compra {reference} cancelada: ya no se puede pagar.")

    @rx.event
    async def resume_purchase(self, reference: str):  # type: ignore[no-untyped-def]
        """Open the pay step again for a pending card or cash checkout."""
        from loggro_app.services.card_payments import renew_card_intent

        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        try:
            def renew() -> Any:
                with session_scope() as session:
                    row = purchases.purchase_by_reference(session=session, scope=scope,
                                                          reference=reference)
                    if row.method == "card":  # a fresh intent for the card typed next
                        renew_card_intent(session=session, purchase=row)
                    return row

            row = await asyncio.to_thread(renew)
        except LoggroError as exc:
            return rx.toast.error(exc.message)
        self.reference, self.method, self.step, self.buy_open = reference, row.method, 3, True
        self.pack_size, self.pack_count = str(row.pack_size), str(row.pack_count)
        self.total, self.documents = format_cop(row.total), row.documents
        self.pay_status, self.card_message = "Pendiente de pago", ""
        if row.method == "card":
            return rx.call_script(_mount_card_js(payment_settings().stripe.js_url,
                                                 payment_settings().stripe.publishable_key))
        return None


BANK_OUTCOMES = {
    "approved": ("success", "Tu banco aprobó el pago: los documentos se acreditan en cuanto "
                            "la pasarela lo confirme."),
    "declined": ("error", "El banco rechazó el pago; no se hizo ningún cobro."),
}


def _bank_return_message(query: dict[str, str]):  # type: ignore[no-untyped-def]
    """The payer comes back from PSE with ?reference=...&status=...: say what happened."""
    kind, text = BANK_OUTCOMES.get(query.get("status", ""), ("", ""))
    if not text:
        return None
    return rx.toast.success(text) if kind == "success" else rx.toast.error(text)


def _notify_url(method: str) -> str:
    base = get_settings().public_backend_url
    return f"{base}/api/payments/{'stripe' if method == 'card' else 'gateway'}/webhook"


def _mount_card_js(js_url: str, publishable_key: str) -> str:
    """Load Stripe.js (or localstripe's stand-in) and mount Stripe's card element."""
    return f"""(async () => {{
  if (!window.Stripe) {{
    await new Promise((ok, ko) => {{ const s = document.createElement('script');
      s.src = {js_url!r}; s.onload = ok; s.onerror = ko; document.head.appendChild(s); }});
  }}
  window.__loggroStripe = window.__loggroStripe || Stripe({publishable_key!r});
  for (let i = 0; i < 50 && !document.getElementById('card-element'); i++)
    await new Promise(r => setTimeout(r, 100));
  const card = window.__loggroStripe.elements().create('card');
  card.mount('#card-element');
  window.__loggroCard = card;
}})()"""


_CARD_TOKEN_JS = """(async () => {
  const result = await window.__loggroStripe.createToken(window.__loggroCard);
  if (result.error) return {error: result.error.message || String(result.error)};
  return {token: result.token.id};
})()"""


def _confirm_js(client_secret: str) -> str:
    return f"""(async () => {{
  const r = await window.__loggroStripe.confirmCardPayment({client_secret!r});
  return r.error ? {{error: r.error.message || 'error'}} : {{status: r.paymentIntent.status}};
}})()"""
