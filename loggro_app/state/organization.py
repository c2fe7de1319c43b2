"""Configuración → Organización: general information, parameters and the certificate."""

from __future__ import annotations

import asyncio

import reflex as rx

from loggro_app.core import geo
from loggro_app.core.clock import BOGOTA, local_text
from loggro_app.core.errors import LoggroError, ValidationError, not_saved
from loggro_app.db import session_scope
from loggro_app.services import certificates
from loggro_app.services import organization as service
from loggro_app.services.scope import Scope
from loggro_app.state.auth import LOGIN_ROUTE, acting_scope
from loggro_app.state.blocking import with_session

GENERAL_FIELDS = ("legal_name", "trade_name", "person_type", "tax_regime",
                  "tax_responsibilities", "economic_sector", "economic_activity", "address",
                  "municipality_code", "email", "phone")
FIELD_LABELS = {"legal_name": "Razón social", "trade_name": "Nombre comercial",
                "person_type": "Tipo de persona", "tax_regime": "Régimen",
                "tax_responsibilities": "Responsabilidades fiscales",
                "economic_sector": "Sector económico",
                "economic_activity": "Actividad económica (CIIU)", "address": "Dirección",
                "municipality_code": "Municipio", "email": "Correo electrónico",
                "phone": "Teléfono"}


TABS = ("general", "parametros", "certificado", "correo", "recepcion")


class OrganizationState(rx.State):
    nit: str = ""
    legal_name: str = ""
    trade_name: str = ""
    person_type: str = "1"
    tax_regime: str = "48"
    tax_responsibilities: str = ""
    economic_sector: str = ""
    economic_activity: str = ""
    address: str = ""
    municipality_code: str = ""
    municipality_label: str = ""
    email: str = ""
    phone: str = ""
    errors: dict[str, str] = {}
    e_invoicing_enabled: bool = False
    e_invoicing_since: str = ""
    version: str = service.VERSION_PRIOR_VALIDATION
    confirm_open: bool = False
    confirm_checked: bool = False
    provider_confirmed: bool = False
    cert_subject: str = ""
    cert_valid: str = ""
    cert_warning: str = ""
    cert_error: str = ""
    cert_busy: bool = False
    tab: str = "general"

    async def _scope(self) -> Scope | None:
        return await acting_scope(self)

    def _fill(self, scope: Scope) -> None:
        with session_scope() as session:
            org = service.get_organization(session=session, scope=scope)
            cert = certificates.certificate_info(session=session,
                                                 organization_id=scope.organization_id)
        self.nit = f"{org.nit}-{org.dv}"
        for field in GENERAL_FIELDS:
            setattr(self, field, getattr(org, field))
        self.municipality_label = geo.municipality_label(org.municipality_code)
        self.e_invoicing_enabled = org.e_invoicing_enabled
        self.e_invoicing_since = local_text(org.e_invoicing_enabled_at)
        self.provider_confirmed = org.provider_confirmed
        self.cert_subject = cert.holder if cert else ""
        self.cert_valid = (f"del {cert.not_before.astimezone(BOGOTA):%d/%m/%Y} al "
                           f"{cert.not_after.astimezone(BOGOTA):%d/%m/%Y}" if cert else "")
        self.cert_warning = cert.warning if cert else ""

    @rx.event
    async def load(self):  # type: ignore[no-untyped-def]
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self.errors = {}
        # a link may open a tab (…?tab=parametros), e.g. from a requirement to fix
        wanted = dict(self.router.url.query_parameters).get("tab", "general")
        self.tab = wanted if wanted in TABS else "general"
        await asyncio.to_thread(self._fill, scope)
        return None

    @rx.event
    def set_tab(self, value: str) -> None:
        self.tab = value if value in TABS else "general"

    @rx.event
    def set_field(self, field: str, value: str) -> None:
        if field in GENERAL_FIELDS:
            setattr(self, field, value)

    @rx.event
    def toggle_responsibility(self, code: str, on: bool) -> None:
        codes = [c for c in self.tax_responsibilities.split(";") if c and c != code]
        if on:
            codes.append(code)
        self.tax_responsibilities = ";".join(sorted(codes))

    @rx.var
    def responsibility_codes(self) -> list[str]:
        return [c for c in self.tax_responsibilities.split(";") if c]

    @rx.event
    def set_municipality_text(self, text: str) -> None:
        # What is shown is what is saved: a text naming no municipality selects none, so
        # saving stops at this field instead of keeping the previous municipality.
        self.municipality_label = text
        found = geo.match_municipality(text)
        self.municipality_code = found.code if found else ""

    @rx.var
    def municipality_suggestions(self) -> list[str]:
        return [geo.municipality_label(m.code)
                for m in geo.search_municipalities(self.municipality_label, limit=8)]

    @rx.event
    async def save_general(self):  # type: ignore[no-untyped-def]
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self.errors = {}
        try:
            info = service.GeneralInfo.parse(**{f: getattr(self, f) for f in GENERAL_FIELDS},
                                             municipality_text=self.municipality_label)
            await with_session(service.update_general, scope=scope, info=info)
        except ValidationError as exc:
            self.errors = exc.errors
            return rx.toast.error(not_saved(exc.errors, FIELD_LABELS))
        except LoggroError as exc:
            return rx.toast.error(exc.message)
        return rx.toast.success("Información de la organización guardada.")

    # -- Parámetros ------------------------------------------------------------------------
    @rx.event
    def ask_enable(self, value: bool):  # type: ignore[no-untyped-def]
        if not value:
            if self.e_invoicing_enabled:
                return rx.toast.error(service.IRREVERSIBLE)
            return None
        self.confirm_checked, self.confirm_open = False, True
        return None

    @rx.event
    def set_confirm_open(self, value: bool) -> None:
        self.confirm_open = value

    @rx.event
    def set_confirm_checked(self, value: bool) -> None:
        self.confirm_checked = bool(value)

    @rx.event
    def set_version(self, value: str) -> None:
        self.version = value

    @rx.event
    async def confirm_enable(self):  # type: ignore[no-untyped-def]
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        try:
            await with_session(service.set_e_invoicing, scope=scope, enabled=True,
                               confirmed=self.confirm_checked, version=self.version)
        except LoggroError as exc:
            return rx.toast.error(exc.message)
        self.confirm_open = False
        await asyncio.to_thread(self._fill, scope)
        return rx.toast.success("Facturación electrónica con validación previa activada.")

    @rx.event
    async def confirm_provider(self):  # type: ignore[no-untyped-def]
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        try:
            await with_session(service.confirm_provider, scope=scope)
        except LoggroError as exc:
            return rx.toast.error(exc.message)
        await asyncio.to_thread(self._fill, scope)
        return rx.toast.success("Loggro quedó confirmado como proveedor tecnológico.")

    # -- Certificado -----------------------------------------------------------------------
    @rx.event
    async def upload_certificate(self, files: list[rx.UploadFile],  # type: ignore[no-untyped-def]
                                 password: str = ""):
        """The password arrives with the upload and lives only in this call."""
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self.cert_error = ""
        data = await files[0].read() if files else b""
        try:
            await with_session(certificates.store_certificate, scope=scope, p12=data,
                               password=password)
        except ValidationError as exc:
            self.cert_error = " ".join(exc.errors.values())
            return None
        except LoggroError as exc:
            self.cert_error = exc.message
            return None
        await asyncio.to_thread(self._fill, scope)
        return [rx.set_value("cert-password", ""), rx.toast.success("Certificado guardado.")]

    @rx.event
    async def create_dev_certificate(self):  # type: ignore[no-untyped-def]
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        try:
            await with_session(certificates.install_development_certificate, scope=scope)
        except LoggroError as exc:
            return rx.toast.error(exc.message)
        await asyncio.to_thread(self._fill, scope)
        return rx.toast.success("Certificado de desarrollo creado para el ambiente de pruebas.")
