"""The Habilitación DIAN checklist: every step, its state, when it was verified, and
what to do next with a link to the page that fixes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from loggro_app.core import numbering as rules
from loggro_app.core.clock import Clock, system_clock
from loggro_app.core.errors import LoggroError
from loggro_app.models import Customer, CustomerEmail, Item, PaymentMethod, TestSetRun
from loggro_app.services import certificates, numbering, test_set
from loggro_app.services.dian_link import DianLink
from loggro_app.services.organization import get_organization
from loggro_app.services.prevalidation import prevalidate
from loggro_app.services.sandbox_portal import software_state
from loggro_app.services.scope import Scope

DONE, PENDING, FAILED = "ok", "pendiente", "error"


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    state: str
    detail: str
    next_action: str
    link: str
    verified_at: datetime | None


def _count(session: Session, query) -> int:  # type: ignore[no-untyped-def]
    return int(session.exec(select(func.count()).select_from(query.subquery())).one())


def checklist(*, session: Session, scope: Scope, link: DianLink,
              clock: Clock = system_clock) -> list[Step]:
    now = clock()
    org = get_organization(session=session, scope=scope)
    rows = [r for r in numbering.list_numberings(session=session, scope=scope)
            if r.document_kind == "FE"]
    run = test_set.current_run(session=session, organization_id=scope.organization_id)
    cert = certificates.certificate_info(session=session, organization_id=scope.organization_id)
    steps = [
        Step("certificate", "Certificado de firma", DONE if cert and cert.days_left >= 0
             else PENDING, cert.holder if cert else "Sin certificado.",
             "Sube el certificado (.p12) de la organización.", "/configuracion/organizacion",
             now if cert else None),
        Step("resolution", "Resolución de facturación solicitada",
             DONE if any(r.resolution_number for r in rows) else PENDING,
             ", ".join(f"{r.resolution_number} ({r.prefix})" for r in rows) or "Sin resolución.",
             "Solicita la resolución en la DIAN y regístrala en un consecutivo.",
             "/configuracion/consecutivos", now if rows else None),
        _test_set_step(run),
        _software_step(session, scope, link, run, now),
        Step("prefix", "Prefijo asociado al software",
             DONE if any(r.dian_checked_at for r in rows) else PENDING,
             "La DIAN reporta el rango asociado." if any(r.dian_checked_at for r in rows)
             else "La DIAN aún no reporta el rango (asocia el prefijo 2 horas después de la "
                  "resolución).",
             "Asocia el prefijo en la DIAN y usa «Consultar DIAN» en el consecutivo.",
             "/configuracion/consecutivos",
             max((r.dian_checked_at for r in rows if r.dian_checked_at), default=None)),
        Step("parameters", "Parámetros de la organización",
             DONE if org.e_invoicing_enabled and org.provider_confirmed else PENDING,
             "Facturación electrónica con validación previa activa y Loggro confirmado."
             if org.e_invoicing_enabled and org.provider_confirmed
             else "Falta activar la facturación electrónica o confirmar el proveedor.",
             "Completa la Gestión Proveedor Tecnológico.", "/configuracion/organizacion",
             org.e_invoicing_enabled_at),
        _numbering_step(rows, clock, now),
        *_catalog_steps(session, scope, now),
    ]
    steps.append(_prevalidation_step(session, scope, link, steps, clock, now))
    return steps


def _test_set_step(run: TestSetRun | None) -> Step:
    if run is None:
        return Step("test_set", "Set de pruebas enviado y aceptado", PENDING,
                    "No se ha enviado el set de pruebas.",
                    "Pega el TestSetId en Gestión Proveedor Tecnológico y pulsa Certificar.",
                    "/configuracion/organizacion", None)
    state = {"accepted": DONE, "running": PENDING}.get(run.status, FAILED)
    detail = run.message or "Enviando los documentos del set de pruebas…"
    return Step("test_set", "Set de pruebas enviado y aceptado", state, detail,
                "Revisa los documentos rechazados y vuelve a certificar." if state == FAILED
                else "Espera a que la DIAN valide los documentos.",
                "/configuracion/organizacion", run.finished_at or run.started_at)


def _software_step(session: Session, scope: Scope, link: DianLink,
                   run: TestSetRun | None, now: datetime) -> Step:
    title = "Software «Loggro FE» Aceptado en los modos de operación"
    if link.is_sandbox:
        try:
            state = software_state(session=session, scope=scope, link=link)
        except LoggroError as exc:
            return Step("software", title, FAILED, exc.message,
                        "Verifica que el sandbox de la DIAN esté en ejecución.",
                        "/habilitacion", now)
        ok = state == "Aceptado"
        return Step("software", title, DONE if ok else PENDING,
                    f"Estado en la DIAN: {state or 'sin registrar'}.",
                    "Registra el software y certifica el set de pruebas.", "/habilitacion", now)
    # DIAN enables the mode by itself once the test set is accepted (SPEC §5).
    ok = run is not None and run.status == "accepted"
    return Step("software", title, DONE if ok else PENDING,
                "Habilitado al aceptarse el set de pruebas." if ok else "Aún no habilitado.",
                "Consulta «Configurar modos de operación» en el portal de habilitación.",
                "/habilitacion", run.finished_at if ok and run else None)


def _numbering_step(rows: list, clock: Clock, now: datetime) -> Step:  # type: ignore[type-arg]
    states = [(r, *numbering.state_of(r, clock)) for r in rows]
    active = [r for r, state, _ in states if state == rules.ACTIVE]
    warnings = [w for _, _, ws in states for w in ws]
    detail = (f"Activo: {active[0].name}. " if active else "Ningún consecutivo activo. ") + \
        " ".join(warnings)
    return Step("numbering", "Consecutivo de facturación con vigencia activa",
                DONE if active else PENDING, detail.strip(),
                "Registra la resolución en el consecutivo y confírmala con la DIAN.",
                "/configuracion/consecutivos", now)


def _counted(count: int, one: str, many: str) -> str:
    """'1 producto.' but '0 productos.' and '3 productos.'"""
    return f"{count} {one if count == 1 else many}."


def _catalog_steps(session: Session, scope: Scope, now: datetime) -> list[Step]:
    org_id = scope.organization_id
    methods = _count(session, select(PaymentMethod).where(PaymentMethod.organization_id == org_id))
    with_email = _count(session, select(Customer.id).join(
        CustomerEmail, col(CustomerEmail.customer_id) == col(Customer.id)).where(
        Customer.organization_id == org_id).distinct())
    items = _count(session, select(Item).where(Item.organization_id == org_id))
    return [
        Step("payment_methods", "Formas de pago", DONE if methods else PENDING,
             _counted(methods, "forma de pago", "formas de pago"),
             "Crea al menos una forma de pago.", "/configuracion/formas-de-pago", now),
        Step("customers", "Clientes con correo de notificación", DONE if with_email else PENDING,
             _counted(with_email, "cliente con correo", "clientes con correo"),
             "Registra clientes con su correo.", "/contactos", now),
        Step("items", "Productos", DONE if items else PENDING,
             _counted(items, "producto", "productos"), "Crea tus productos o servicios.",
             "/inventario", now),
    ]


def _prevalidation_step(session: Session, scope: Scope, link: DianLink, steps: list[Step],
                        clock: Clock, now: datetime) -> Step:
    title = "Validación previa de una factura de muestra"
    needed = {"certificate", "numbering", "customers", "items", "payment_methods"}
    missing = [s.title for s in steps if s.key in needed and s.state != DONE]
    if missing:
        return Step("prevalidation", title, PENDING, "Falta: " + ", ".join(missing) + ".",
                    "Completa los pasos anteriores.", "/habilitacion", None)
    try:
        code = prevalidate(session=session, scope=scope, link=link, clock=clock)
    except LoggroError as exc:
        return Step("prevalidation", title, FAILED, exc.message,
                    "Corrige los datos señalados y vuelve a verificar.", "/habilitacion", now)
    return Step("prevalidation", title, DONE,
                f"La factura de muestra cumple el XSD y las reglas locales (CUFE {code[:16]}…).",
                "", "/habilitacion", now)


def readiness(steps: list[Step]) -> tuple[bool, str]:
    """What Inicio says about the checklist: done, or how far and what comes next."""
    done = sum(1 for s in steps if s.state == DONE)
    if done == len(steps):
        return True, ("Tu organización está habilitada en la DIAN: ya puedes emitir facturas "
                      "electrónicas.")
    pending = next(s for s in steps if s.state != DONE)
    return False, (f"Habilitación DIAN: {done} de {len(steps)} pasos completos. Sigue con "
                   f"«{pending.title}» para emitir facturas electrónicas.")
