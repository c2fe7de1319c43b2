"""The form of a sales document: customer, lines, payment, withholdings, the corrected document
of a note; saved as a draft or issued. Totals come from `core.sales.preview_totals`."""

from __future__ import annotations

from typing import Any

import reflex as rx

from loggro_app.core.errors import LoggroError, ValidationError, not_saved
from loggro_app.core.export_sale import INCOTERM_CHOICES, is_export
from loggro_app.core.sales import (
    CONCEPTS,
    CURRENCIES,
    KINDS,
    MAX_LINES,
    REFERENCED_KIND,
    RETEIVA_CHOICES,
    TAX_CHOICES,
    WITHHOLDING_KINDS,
    DocumentForm,
    Withholdings,
    preview_totals,
)
from loggro_app.durable import issuing as durable_issuing
from loggro_app.services import customers as customer_service
from loggro_app.services import issuing
from loggro_app.services import sales as service
from loggro_app.services.scope import Scope
from loggro_app.state.auth import LOGIN_ROUTE, acting_scope
from loggro_app.state.blocking import with_session
from loggro_app.state.sales_catalog import SalesCatalogMixin
from loggro_app.state.sales_view import (
    LINE_FIELDS,
    blank_line,
    line_input,
    line_view,
    money,
    totals_rows,
)

NO_RETEIVA = "none"  # a select item cannot have an empty value
TAX_OPTIONS = [{"code": c, "name": n} for c, n in TAX_CHOICES.items()]
CURRENCY_OPTIONS = [{"code": c, "name": f"{c} · {n}"} for c, n in CURRENCIES.items()]
RETEIVA_OPTIONS = [{"code": c or NO_RETEIVA, "name": n} for c, n in RETEIVA_CHOICES.items()]
INCOTERM_OPTIONS = [{"code": c, "name": n} for c, n in INCOTERM_CHOICES.items()]
FIELD_LABELS = {"customer_id": "Cliente", "lines": "Líneas", "payment_form": "Forma de pago",
                "payment_means": "Medio de pago", "due_date": "Vencimiento", "notes": "Notas",
                "currency": "Moneda", "exchange_rate": "Tasa de cambio",
                "reference_id": "Documento que corrige", "concept": "Concepto",
                "concept_description": "Descripción de la corrección",
                "retefuente": "ReteFuente", "reteica": "ReteICA", "reteiva": "ReteIVA",
                "incoterm": "INCOTERM", "delivery_place": "Lugar de entrega"}


class SalesFormState(SalesCatalogMixin, rx.State):
    kind: str = "FE"
    document_id: int = 0
    number: str = ""
    lines: list[dict[str, str]] = [blank_line()]
    retefuente: str = ""
    reteica: str = ""
    reteiva: str = NO_RETEIVA
    payment_form: str = "1"
    payment_means: str = "10"
    due_date: str = ""
    notes: str = ""
    currency: str = "COP"
    exchange_rate: str = ""
    reference_id: str = ""
    reference_options: list[dict[str, str]] = []
    concept: str = ""
    concept_description: str = ""
    incoterm: str = ""
    delivery_place: str = ""
    errors: dict[str, str] = {}
    form_error: str = ""
    blocks: list[dict[str, str]] = []
    saving: bool = False

    # -- what the page shows ---------------------------------------------------------------
    @rx.var
    def kind_label(self) -> str:
        if self.is_export:
            return "Factura electrónica de exportación"
        return KINDS.get(self.kind, "")

    @rx.var
    def is_note(self) -> bool:
        return self.kind in REFERENCED_KIND

    @rx.var
    def is_export(self) -> bool:
        """An invoice to a customer abroad: type 02, with brand, model and INCOTERM."""
        return is_export(self.kind, self.customer_country)

    @rx.var
    def takes_withholdings(self) -> bool:
        return self.kind in WITHHOLDING_KINDS

    @rx.var
    def is_support(self) -> bool:
        return self.kind in ("DS", "NA")

    @rx.var
    def concept_options(self) -> list[dict[str, str]]:
        return [{"code": c, "name": n} for c, n in CONCEPTS.get(self.kind, {}).items()]

    @rx.var
    def can_add_line(self) -> bool:
        return len(self.lines) < MAX_LINES

    @rx.var
    def totals(self) -> list[dict[str, str]]:
        held = Withholdings(self.retefuente, self.reteica,
                            "" if self.reteiva == NO_RETEIVA else self.reteiva)
        found = preview_totals([line_input(v) for v in self.lines], self.kind, held)
        return totals_rows(found, self.currency)

    @rx.var
    def line_errors(self) -> list[dict[str, str]]:
        """Per line, each field's error ('' when fine): keys lines.<i>.<field>."""
        return [{name: self.errors.get(f"lines.{i}.{name}", "") for name in LINE_FIELDS}
                for i in range(len(self.lines))]

    # -- the form as the services take it -------------------------------------------------
    def _form(self) -> DocumentForm:
        return DocumentForm(
            kind=self.kind, customer_id=int(self.customer_id) if self.customer_id else None,
            lines=tuple(line_input(v) for v in self.lines), payment_form=self.payment_form,
            payment_means=self.payment_means,
            due_date=self.due_date if self.payment_form == "2" else "", notes=self.notes,
            currency=self.currency, exchange_rate=self.exchange_rate if self.currency != "COP"
            else "", reference_id=int(self.reference_id) if self.reference_id else None,
            concept=self.concept, concept_description=self.concept_description,
            withholdings=Withholdings(self.retefuente, self.reteica,
                                      "" if self.reteiva == NO_RETEIVA else self.reteiva)
            if self.kind in WITHHOLDING_KINDS else Withholdings(),
            incoterm=self.incoterm if self.is_export else "",
            delivery_place=self.delivery_place if self.is_export else "",
        )

    def _fill(self, form: DocumentForm) -> None:
        self.kind = form.kind
        self.lines = [line_view(line) for line in form.lines] or [blank_line()]
        self.payment_form, self.payment_means = form.payment_form, form.payment_means
        self.due_date, self.notes = form.due_date, form.notes
        self.currency, self.exchange_rate = form.currency, form.exchange_rate
        self.reference_id = str(form.reference_id or "")
        self.concept, self.concept_description = form.concept, form.concept_description
        held = form.withholdings
        self.retefuente, self.reteica = held.retefuente, held.reteica
        self.reteiva = held.reteiva or NO_RETEIVA
        self.incoterm, self.delivery_place = form.incoterm, form.delivery_place

    def _clear(self, kind: str) -> None:
        self.reset()
        self.kind = kind if kind in KINDS else "FE"

    async def _scope(self) -> Scope | None:
        return await acting_scope(self)

    async def _load_choices(self, scope: Scope) -> None:
        await self._load_catalog(scope)
        refs = await with_session(service.references_for, scope=scope, kind=self.kind)
        self.reference_options = [
            {"id": str(r.id), "label": f"{r.prefix}{r.number} · {r.customer_name} · "
                                      f"{money(r.total, r.currency)}"} for r in refs]

    # -- loading ------------------------------------------------------------------------
    @rx.event
    async def load_new(self):  # type: ignore[no-untyped-def]
        """on_load of /ventas/nuevo?tipo=FE|NC|ND|DS|NA."""
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        self._clear(str(self.router.url.query_parameters.get("tipo", "FE")).upper())
        await self._load_choices(scope)
        return None

    @rx.event
    async def load_document(self, document_id: int):  # type: ignore[no-untyped-def]
        """Open a draft (or a rejected document to correct) in the form."""
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        try:
            row = await with_session(service.get_document, scope=scope,
                                     document_id=int(document_id))
        except LoggroError as exc:
            return rx.toast.error(exc.message)
        self._clear(row.kind)
        self.document_id = int(document_id)
        self.number = f"{row.prefix}{row.number}" if row.number is not None else ""
        form = service.form_of(row)
        self._fill(form)
        await self._load_choices(scope)
        if form.customer_id is not None:
            self.customer_id, self.customer_label = str(form.customer_id), row.customer_name
            try:
                customer = await with_session(customer_service.get_customer, scope=scope,
                                              customer_id=form.customer_id)
            except LoggroError:  # the form says so when it is issued
                return None
            self.customer_country = customer.country_code
        return None

    # -- fields ----------------------------------------------------------------------------
    @rx.event
    def set_field(self, name: str, value: str) -> None:
        if name in {"payment_form", "payment_means", "due_date", "notes", "currency",
                    "exchange_rate", "reference_id", "concept", "concept_description",
                    "retefuente", "reteica", "reteiva", "incoterm", "delivery_place"}:
            setattr(self, name, str(value))

    def _customer_chosen(self) -> None:
        """An export is invoiced in the currency agreed abroad: USD unless one was chosen."""
        if self.is_export and self.currency == "COP":
            self.currency = "USD"

    @rx.event
    def set_line(self, index: int, name: str, value: str) -> None:
        if name not in LINE_FIELDS or not 0 <= index < len(self.lines):
            return
        lines = [dict(v) for v in self.lines]
        lines[index][name] = str(value)
        self.lines = lines

    @rx.event
    def add_line(self) -> None:
        if len(self.lines) < MAX_LINES:
            self.lines = [*self.lines, blank_line()]

    @rx.event
    def remove_line(self, index: int) -> None:
        lines = [v for i, v in enumerate(self.lines) if i != index]
        self.lines = lines or [blank_line()]
        # errors are keyed by position: after a removal they would name the wrong line
        self.errors = {k: v for k, v in self.errors.items() if not k.startswith("lines.")}

    def _add_item(self, item: dict[str, str]) -> None:
        line = {**blank_line(), "description": item["name"], "unit_code": item["unit_code"],
                "unit_price": item["price"], "tax": item["tax"], "item_code": item["code"]}
        last = self.lines[-1] if self.lines else None
        if last is not None and not last["description"].strip() \
                and not last["unit_price"].strip():
            self.lines = [*self.lines[:-1], line]  # fill the empty line the form starts with
        elif len(self.lines) < MAX_LINES:
            self.lines = [*self.lines, line]

    @rx.event
    async def take_reference_lines(self):  # type: ignore[no-untyped-def]
        """Start a note from the lines of the document it corrects."""
        scope = await self._scope()
        if scope is None:
            return rx.redirect(LOGIN_ROUTE)
        if not self.reference_id:
            self.errors = {**self.errors, "reference_id": "Elige primero el documento."}
            return None
        try:
            lines = await with_session(service.lines_of, scope=scope,
                                       document_id=int(self.reference_id))
            ref = await with_session(service.get_document, scope=scope,
                                     document_id=int(self.reference_id))
        except LoggroError as exc:
            return rx.toast.error(exc.message)
        self.lines = [line_view(line) for line in lines] or [blank_line()]
        form = service.form_of(ref)
        if form.customer_id is not None and not self.customer_id:
            self.customer_id, self.customer_label = str(form.customer_id), ref.customer_name
        return None

    # -- saving and issuing -------------------------------------------------------------
    async def _save(self, scope: Scope) -> bool:
        try:
            row = await with_session(service.save_draft, scope=scope, form=self._form(),
                                     document_id=self.document_id or None)
        except ValidationError as exc:
            self.errors = exc.errors
            self.form_error = not_saved(exc.errors, FIELD_LABELS)
            return False
        except LoggroError as exc:
            self.form_error = exc.message
            return False
        assert row.id is not None
        self.document_id = row.id
        return True

    async def _submit(self, issue: bool):  # type: ignore[no-untyped-def]
        scope = await self._scope()
        if scope is None:
            yield rx.redirect(LOGIN_ROUTE)
            return
        self.errors, self.form_error, self.blocks, self.saving = {}, "", [], True
        yield  # the buttons show they are working
        try:
            if await self._save(scope):
                yield (await self._request_issue(scope) if issue
                       else rx.toast.success("Borrador guardado.", id="draft-saved"))
        finally:
            self.saving = False

    @rx.event
    async def save_draft(self):  # type: ignore[no-untyped-def]
        async for update in self._submit(issue=False):
            yield update

    @rx.event
    async def issue(self):  # type: ignore[no-untyped-def]
        """Guardar, run every check DIAN would make, then hand it to its durable work."""
        async for update in self._submit(issue=True):
            yield update

    async def _request_issue(self, scope: Scope) -> Any:
        try:
            document_id, round_ = await with_session(
                issuing.request_issue, scope=scope, document_id=self.document_id)
        except service.IssueBlocked as exc:
            self.blocks = [{"message": b.message, "link": b.link, "action": b.action}
                           for b in exc.blocks]
            self.form_error = "No se puede emitir todavía: resuelve lo que se indica."
            return None
        except ValidationError as exc:
            self.errors = exc.errors
            self.form_error = ("Se guardó el borrador, pero no se puede emitir: revisa "
                               + ", ".join(dict.fromkeys(
                                   FIELD_LABELS.get(k, "Líneas") for k in exc.errors)) + ".")
            return None
        except LoggroError as exc:
            self.form_error = exc.message
            return None
        await durable_issuing.start(scope.organization_id, document_id, round_)
        from loggro_app.state.sales_document import SalesDocumentState  # imports this module

        return [rx.redirect(f"/ventas/documento/{document_id}"),
                SalesDocumentState.open(document_id)]
