"""HTML of the gateway simulator: small, phone-friendly pages in Spanish, every value escaped."""

from __future__ import annotations

from html import escape

from loggro_app.core.clock import BOGOTA
from loggro_app.payments.amounts import format_pesos
from loggro_app.payments.gateway import LABELS
from loggro_app.standins.gateway.store import BANKS, SimPayment

_STYLE = """
body{font-family:system-ui,sans-serif;margin:0;padding:1rem;background:#f4f6f8;color:#1d2733}
main{max-width:28rem;margin:auto;background:#fff;border-radius:.75rem;padding:1.25rem;
box-shadow:0 1px 4px #0002}h1{font-size:1.3rem}dl{display:grid;grid-template-columns:auto 1fr;
gap:.3rem 1rem}dt{color:#5a6b7b}select,button{width:100%;font-size:1.05rem;padding:.7rem;
margin:.35rem 0;border-radius:.5rem;border:1px solid #b8c4cf}button{cursor:pointer}
.ok{background:#1b7f3b;color:#fff;border:0}.no{background:#b3261e;color:#fff;border:0}
.note{font-size:.9rem;color:#5a6b7b}table{width:100%;border-collapse:collapse}
td,th{padding:.4rem;border-bottom:1px solid #e3e8ec;text-align:left}
"""


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="es"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main><h1>{escape(title)}</h1>{body}</main></body></html>"
    )


def _summary(payment: SimPayment) -> str:
    deadline = payment.expires_at.astimezone(BOGOTA).strftime("%d/%m/%Y %H:%M")
    return (
        "<dl>"
        f"<dt>Referencia</dt><dd>{escape(payment.reference)}</dd>"
        f"<dt>Concepto</dt><dd>{escape(payment.description)}</dd>"
        f"<dt>Valor</dt><dd>{escape(format_pesos(payment.amount))}</dd>"
        f"<dt>Vence</dt><dd>{escape(deadline)} (hora de Colombia)</dd>"
        f"<dt>Estado</dt><dd>{escape(LABELS[payment.status].capitalize())}</dd>"
        "</dl>"
    )


def checkout_page(payment: SimPayment) -> str:
    """PSE: pick a bank and approve or reject. Cash: the code to quote at the cash desk."""
    if payment.method == "cash":
        body = _summary(payment) + (
            f"<p>Código de pago: <strong>{escape(payment.payment_code)}</strong></p>"
            '<p class="note">Paga en efectivo en cualquier punto aliado antes de la fecha de '
            "vencimiento indicando este código. Te avisaremos cuando el pago se confirme.</p>"
        )
        return _page("Pago en efectivo (simulador)", body)
    if payment.status.value != "pending":
        link = f'<p><a href="{escape(payment.return_url)}">Volver a Loggro</a></p>'
        return _page("Pago PSE (simulador)", _summary(payment) + link)
    options = "".join(f"<option>{escape(bank)}</option>" for bank in BANKS)
    body = _summary(payment) + (
        f'<form method="post" action="/checkout/{escape(payment.id)}">'
        f'<label for="bank">Banco</label><select id="bank" name="bank">{options}</select>'
        '<button class="ok" name="decision" value="approve">Aprobar</button>'
        '<button class="no" name="decision" value="reject">Rechazar</button></form>'
        '<p class="note">Simulador local de PSE: ningún banco real interviene.</p>'
    )
    return _page("Pago PSE (simulador)", body)


def back_office_page(pending_cash: list[SimPayment]) -> str:
    if not pending_cash:
        return _page("Pagos en efectivo pendientes", "<p>No hay referencias pendientes.</p>")
    rows = "".join(
        "<tr>"
        f"<td>{escape(p.payment_code)}<br><small>{escape(p.reference)}</small></td>"
        f"<td>{escape(format_pesos(p.amount))}</td>"
        f'<td><form method="post" action="/admin/cash/{escape(p.id)}/paid">'
        '<button class="ok">Pagado</button></form></td>'
        "</tr>"
        for p in pending_cash
    )
    table = f"<table><tr><th>Código</th><th>Valor</th><th></th></tr>{rows}</table>"
    return _page("Pagos en efectivo pendientes", table)


def message_page(title: str, message: str) -> str:
    return _page(title, f"<p>{escape(message)}</p>")
