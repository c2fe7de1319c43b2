"""The simulator's one page, in Spanish: connection, new folio, documents and what Pymes
said of them, billing resolution, webhooks. Server-rendered, every value escaped, no
external assets, readable on a 390 px phone."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from loggro_app.standins.pms.client import Resolution
from loggro_app.standins.pms.store import Connection

# Pymes names a consecutive's kind by its DIAN code in consecutive.expiring.
KIND_LABELS = {"invoice": "Factura", "credit_note": "Nota crédito", "FE": "Factura",
               "NC": "Nota crédito", "ND": "Nota débito", "DS": "Documento soporte"}
RESOLUTION_LABELS = {"invoice": "Facturas", "credit_note": "Notas crédito"}

_STYLE = """
*{box-sizing:border-box}body{font-family:system-ui,sans-serif;margin:0;padding:.75rem;
background:#f4f6f8;color:#1d2733}main{max-width:60rem;margin:auto}
section{background:#fff;border-radius:.75rem;padding:1rem;margin:0 0 1rem;
box-shadow:0 1px 4px #0002}h1{font-size:1.3rem}h2{font-size:1.1rem;margin-top:0}
dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem;overflow-wrap:anywhere}
dt{color:#5a6b7b}label{display:block;margin:.5rem 0 .15rem;font-size:.95rem}
input,select,button{width:100%;font-size:1rem;padding:.6rem;border-radius:.5rem;
border:1px solid #b8c4cf}button{cursor:pointer;background:#1f5fa8;color:#fff;border:0;
margin-top:.75rem}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));
gap:0 .75rem}fieldset{border:1px solid #e3e8ec;border-radius:.5rem;margin:.5rem 0}
.scroll{overflow-x:auto}table{width:100%;border-collapse:collapse;font-size:.9rem}
td,th{padding:.4rem;border-bottom:1px solid #e3e8ec;text-align:left;vertical-align:top}
.warn{background:#fff4d6;border-left:4px solid #c98a00;padding:.6rem;margin:.4rem 0}
.err{background:#fde8e6;border-left:4px solid #b3261e;padding:.6rem}
.ok{color:#1b7f3b}.no{color:#b3261e}small{color:#5a6b7b}td button{margin:0;padding:.35rem}
code{word-break:break-all}
"""


def pesos(total: str) -> str:
    """'724000.50' -> '$ 724.000,50', as amounts are written in Colombia."""
    whole, _, cents = total.partition(".")
    return f"$ {int(whole):,}".replace(",", ".") + f",{(cents + '00')[:2]}"


def _page(body: str) -> str:
    return (
        '<!doctype html><html lang="es"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Loggro Alojamientos (simulador)</title><style>{_STYLE}</style></head>"
        "<body><main><h1>Loggro Alojamientos <small>(simulador local)</small></h1>"
        f"{body}</main></body></html>"
    )


def _masked(token: str) -> str:
    return token[:4] + "…" + token[-4:] if len(token) > 12 else "…"


def connection_section(connection: Connection | None) -> str:
    if connection is None:
        return ("<section><h2>Conexión con Loggro Pymes</h2><p>Sin conexión: active la "
                "integración en Loggro Pymes (Parámetros) con la dirección de este "
                "simulador.</p></section>")
    org = connection.organization
    token = connection.token or ""
    token_html = (
        f"<code>{escape(_masked(token))}</code> <details><summary>mostrar</summary>"
        f'<code id="pms-token">{escape(token)}</code></details>' if token else "—")
    previous = connection.previous_token_valid_until
    return (
        "<section><h2>Conexión con Loggro Pymes</h2><dl>"
        f"<dt>Propiedad</dt><dd>{escape(connection.property_id)}</dd>"
        f"<dt>Organización</dt><dd>{escape(str(org.get('name', '')))} "
        f"<small>NIT {escape(str(org.get('nit', '')))}-{escape(str(org.get('dv', '')))}"
        "</small></dd>"
        f"<dt>Estado</dt><dd>{'Activa' if connection.status == 'active' else 'Revocada'}</dd>"
        f"<dt>API</dt><dd>{escape(connection.api_base_url or '—')}</dd>"
        f"<dt>Token</dt><dd>{token_html}</dd>"
        + (f"<dt>Token anterior válido hasta</dt><dd>{escape(previous)}</dd>" if previous
           else "")
        + f"<dt>Actualizada</dt><dd>{escape(connection.updated_at)}</dd></dl></section>"
    )


def warnings_section(warnings: list[dict[str, Any]]) -> str:
    if not warnings:
        return ""
    items = "".join(
        f'<div class="warn">El consecutivo {escape(str(w.get("prefix")))} '
        f'({escape(KIND_LABELS.get(str(w.get("kind")), str(w.get("kind"))))}) se agota: '
        f'quedan {escape(str(w.get("numbers_left")))} números (hasta el '
        f'{escape(str(w.get("range_to")))}) y vence el {escape(str(w.get("valid_to")))} '
        f'({escape(str(w.get("days_left")))} días).</div>' for w in warnings)
    return f"<section><h2>Avisos de Loggro Pymes</h2>{items}</section>"


def _input(name: str, label: str, value: str = "", kind: str = "text", extra: str = "",
           *, element_id: str = "") -> str:
    element_id = element_id or name
    # One cell of the form's grid: the label above its field.
    return (f'<div><label for="{element_id}">{escape(label)}</label><input id="{element_id}" '
            f'name="{name}" type="{kind}" value="{escape(value)}" {extra}></div>')


def folio_form(error: str = "") -> str:
    guest = (
        '<fieldset><legend>Huésped</legend><label for="kind">Tipo</label>'
        '<select id="kind" name="kind"><option value="final">Consumidor final</option>'
        '<option value="co">Colombiano (cédula)</option>'
        '<option value="foreign">Extranjero (pasaporte, exento de IVA)</option></select>'
        '<div class="grid">' + _input("name", "Nombre") + _input("id_number",
                                                                "Cédula o pasaporte")
        + _input("email", "Correo", kind="email")
        + _input("country_code", "País (extranjero, 2 letras)", extra='maxlength="2"')
        + _input("city", "Ciudad (extranjero)") + _input("address", "Dirección")
        + _input("entry_date", "Ingreso al país (extranjero)", kind="date")
        + _input("migration_document", "Sello o tarjeta migratoria (extranjero)")
        + "</div></fieldset>")
    charges = (
        '<fieldset><legend>Cargos (antes de impuestos)</legend><div class="grid">'
        + _input("nights", "Noches", "1", "number", 'min="1" max="365"')
        + _input("rate", "Tarifa por noche", "250000", "number", 'min="0" step="0.01"')
        + _input("breakfasts", "Desayunos", "0", "number", 'min="0" max="365"')
        + _input("breakfast_price", "Precio del desayuno", "25000", "number",
                 'min="0" step="0.01"')
        + _input("minibar", "Minibar", "0", "number", 'min="0" step="0.01"')
        + _input("tip", "Propina voluntaria", "0", "number", 'min="0" step="0.01"')
        + "</div></fieldset>")
    shown = f'<p class="err">{escape(error)}</p>' if error else ""
    return (f'<section><h2>Nuevo folio</h2>{shown}<form id="folio-form" method="post" '
            f'action="/folios">{guest}{charges}<button>Facturar y enviar</button></form>'
            "</section>")


def _answer(doc: dict[str, Any]) -> str:
    status, answer = doc["http_status"], doc["answer"]
    if status is None:
        return "—"
    body = answer if isinstance(answer, dict) else {}
    css = "ok" if 200 <= status < 300 else "no"
    label = str(status) if status else "sin envío"
    text = escape(str(body.get("error", ""))) if not status else ""
    if status >= 400:
        text = escape(str(body.get("title") or "")) + (
            f"<br><small>{escape(str(body.get('detail') or ''))}</small>")
        errors = body.get("errors") or []
        text += "".join(
            f"<br><small>{escape(str(e.get('field')))}"
            f"{' [' + escape(str(e['rule'])) + ']' if e.get('rule') else ''}: "
            f"{escape(str(e.get('message')))}</small>"
            for e in errors if isinstance(e, dict))
        if not body:
            text = escape(json.dumps(answer, ensure_ascii=False)[:300])
    return f'<span class="{css}">{escape(label)}</span> {text}'


def _estado(doc: dict[str, Any]) -> str:
    rules = "".join(f"<br><small>{escape(str(r.get('code', '')))} "
                    f"{escape(str(r.get('message', '')))}</small>"
                    for r in doc["rules"] if isinstance(r, dict))
    cufe = (f"<br><small>CUFE {escape(str(doc['cufe'])[:16])}…</small>" if doc["cufe"]
            else "")
    return escape(doc["estado"]) + cufe + rules


def _actions(doc: dict[str, Any], voided: set[str]) -> str:
    buttons = ""
    if doc["http_status"] not in (200, 201):
        buttons += (f'<form method="post" action="/documents/{escape(doc["pms_document_id"])}'
                    '/send"><button>Reenviar</button></form>')
    if doc["kind"] == "invoice" and doc["estado"] == "Aceptada" and \
            doc["folio_id"] not in voided:
        buttons += (f'<form method="post" action="/folios/{escape(doc["folio_id"])}/cancel">'
                    '<button>Anular (nota crédito)</button></form>')
    return buttons


def documents_section(documents: list[dict[str, Any]]) -> str:
    if not documents:
        return "<section><h2>Folios y documentos</h2><p>Aún no hay folios.</p></section>"
    voided = {d["folio_id"] for d in documents
              if d["kind"] == "credit_note" and d["http_status"] in (200, 201)}
    rows = "".join(
        "<tr>"
        f"<td>{escape(d['folio_id'])}</td><td>{KIND_LABELS.get(d['kind'], d['kind'])}</td>"
        f"<td>{escape(d['prefix'])}{d['number']}</td>"
        f"<td>{escape(pesos(d['total']))}</td><td>{_answer(d)}</td><td>{_estado(d)}</td>"
        f"<td>{_actions(d, voided)}</td></tr>" for d in documents)
    return (
        '<section><h2>Folios y documentos</h2><div class="scroll"><table id="documents">'
        "<tr><th>Folio</th><th>Tipo</th><th>Número</th><th>Total</th>"
        "<th>Respuesta HTTP</th><th>Estado Pymes</th><th></th></tr>"
        f"{rows}</table></div></section>")


def resolution_section(resolutions: dict[str, Resolution]) -> str:
    forms = ""
    for kind, label in RESOLUTION_LABELS.items():
        res = resolutions[kind]
        forms += (
            f'<form method="post" action="/resolution/{kind}"><fieldset><legend>{label}'
            '</legend><div class="grid">'
            + _input("prefix", "Prefijo", res.prefix, element_id=f"prefix-{kind}")
            + _input("range_from", "Desde", str(res.range_from), "number",
                     element_id=f"from-{kind}")
            + _input("range_to", "Hasta", str(res.range_to), "number",
                     element_id=f"to-{kind}")
            + _input("valid_from", "Vigente desde", res.valid_from.isoformat(), "date",
                     element_id=f"vf-{kind}")
            + _input("valid_to", "Vigente hasta", res.valid_to.isoformat(), "date",
                     element_id=f"vt-{kind}")
            + "</div><button>Guardar</button></fieldset></form>")
    return f"<section><h2>Resolución de facturación</h2>{forms}</section>"


def webhooks_section(webhooks: list[dict[str, Any]]) -> str:
    if not webhooks:
        return "<section><h2>Webhooks recibidos</h2><p>Ninguno todavía.</p></section>"
    verdicts = {"accepted": "Aceptado", "refused": "Rechazado", "duplicate": "Repetido",
                "fault": "Falla simulada", "invalid": "Inválido"}
    rows = "".join(
        f"<tr><td>{escape(w['received_at'])}</td><td>{escape(str(w['webhook_id'] or ''))}"
        f"<br><small>{escape(str(w['type'] or ''))}</small></td>"
        f"<td>{w['http_status']} {verdicts.get(w['verdict'], w['verdict'])}"
        f"<br><small>{escape(w['reason'])}</small></td></tr>" for w in webhooks[:50])
    return ('<section><h2>Webhooks recibidos</h2><div class="scroll"><table id="webhooks">'
            "<tr><th>Hora (UTC)</th><th>Id</th><th>Resultado</th></tr>"
            f"{rows}</table></div></section>")


def home_page(connection: Connection | None, warnings: list[dict[str, Any]],
              documents: list[dict[str, Any]], resolutions: dict[str, Resolution],
              webhooks: list[dict[str, Any]], error: str = "") -> str:
    return _page(connection_section(connection) + warnings_section(warnings)
                 + folio_form(error) + documents_section(documents)
                 + resolution_section(resolutions) + webhooks_section(webhooks))
