"""Plans, their electronic-document quotas and the extra document packs (pure).

The catalog is configuration (`loggro_app/data/plans.json`), validated once when loaded so
that a typo in a price or a period fails at start-up, not at a customer's checkout. Prices
are strings in the file and `Decimal` here: money never passes through float.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from loggro_app.core.errors import ValidationError

MONTH = "month"
YEAR = "year"
PERIODS = (MONTH, YEAR)

# Electronic document kinds as the quota rules know them. The configuration says which
# always use the quota and which are notes, counted only under plans with counts_notes.
INVOICE = "invoice"  # factura electrónica de venta
PURCHASE_RECEPTION = "purchase_reception"  # recepción de facturas de compra
SUPPORT_DOCUMENT = "support_document"  # documento soporte
CREDIT_NOTE = "credit_note"
DEBIT_NOTE = "debit_note"
SUPPORT_ADJUSTMENT_NOTE = "support_adjustment_note"  # nota de ajuste al documento soporte
DOCUMENT_KINDS = frozenset(
    {
        INVOICE,
        PURCHASE_RECEPTION,
        SUPPORT_DOCUMENT,
        CREDIT_NOTE,
        DEBIT_NOTE,
        SUPPORT_ADJUSTMENT_NOTE,
    }
)


@dataclass(frozen=True)
class Plan:
    code: str
    product_line: str
    name: str
    quota: int  # electronic documents per period
    period: str  # MONTH or YEAR
    counts_notes: bool  # whether credit/debit notes also use the quota
    counted_kinds: frozenset[str]  # document kinds that use the quota under this plan
    # Loggro Pymes and POS plans may connect a hotel PMS (seed 001); FE-only plans may not
    hotel_integration: bool = False

    def __post_init__(self) -> None:
        if self.period not in PERIODS:
            raise ValueError(f"plan {self.code}: period must be one of {PERIODS}")
        if isinstance(self.quota, bool) or not isinstance(self.quota, int) or self.quota < 0:
            raise ValueError(f"plan {self.code}: quota must be a non-negative integer")

    def counts(self, document_kind: str) -> bool:
        """Whether issuing a document of this kind uses one unit of the quota."""
        # An unknown kind is a programming error; answering False would let it go uncounted.
        if document_kind not in DOCUMENT_KINDS:
            raise ValueError(f"unknown document kind {document_kind!r}")
        return document_kind in self.counted_kinds

    @property
    def label(self) -> str:
        unit = "al año" if self.period == YEAR else "al mes"
        return f"{self.product_line} {self.name}: {self.quota} documentos electrónicos {unit}"


@dataclass(frozen=True)
class Pack:
    size: int  # documents in one pack
    price: Decimal  # price of one pack, in the catalog's currency

    def __post_init__(self) -> None:
        if isinstance(self.size, bool) or not isinstance(self.size, int) or self.size <= 0:
            raise ValueError(f"pack size must be a positive integer, got {self.size!r}")
        if not isinstance(self.price, Decimal) or not self.price.is_finite() or self.price <= 0:
            raise ValueError(f"pack {self.size}: price must be a positive Decimal")


@dataclass(frozen=True)
class Catalog:
    currency: str
    plans: tuple[Plan, ...]
    packs: tuple[Pack, ...]  # sorted by size
    max_pack_count: int = 20  # packs in one purchase: a typo must not buy a million

    def __post_init__(self) -> None:
        if isinstance(self.max_pack_count, bool) or not isinstance(self.max_pack_count, int) \
                or self.max_pack_count < 1:
            raise ValueError("max_packs_per_purchase must be a positive integer")

    def plan(self, code: str) -> Plan:
        for plan in self.plans:
            if plan.code == code:
                return plan
        raise ValidationError({"plan": f"El plan «{code}» no existe."})

    def pack(self, size: int | str) -> Pack:
        wanted = str(size).strip()
        for pack in self.packs:
            if str(pack.size) == wanted:
                return pack
        raise ValidationError(
            {
                "pack_size": f"No existe un paquete de {wanted} documentos. Paquetes "
                f"disponibles: {_spanish_list([str(p.size) for p in self.packs])}."
            }
        )

    def pack_price(self, size: int | str) -> Decimal:
        return self.pack(size).price

    def purchase_total(self, size: int | str, count: int | str) -> Decimal:
        """Price of `count` packs of `size` documents, as typed in *No. de Paquetes de docs.*"""
        pack = self.pack(size)
        return pack.price * self.pack_count(count)

    def pack_count(self, count: int | str) -> int:
        """A number of packs for one purchase, within the configured maximum."""
        return parse_pack_count(count, maximum=self.max_pack_count)


def _spanish_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} y {items[-1]}"


def parse_pack_count(count: int | str, *, maximum: int | None = None) -> int:
    """A number of packs: a whole number from 1 (up to `maximum`), as int or typed text.

    Crediting a confirmed payment passes no maximum: it was checked when the purchase
    started, and a later, lower maximum must not refuse money already received.
    """
    if isinstance(count, bool) or not isinstance(count, int | str):
        raise ValidationError({"pack_count": "Escribe cuántos paquetes quieres comprar."})
    text = str(count).strip()
    if not text:
        raise ValidationError({"pack_count": "Escribe cuántos paquetes quieres comprar."})
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise ValidationError(
            {"pack_count": f"«{text}» no es un número de paquetes: escribe un número entero."}
        )
    if maximum is not None and len(text.lstrip("+-0")) > len(str(maximum)) \
            and not text.startswith("-"):
        raise ValidationError({"pack_count": _too_many(maximum)})
    value = int(text)
    if maximum is not None and value > maximum:
        raise ValidationError({"pack_count": _too_many(maximum)})
    if value < 1:
        raise ValidationError(
            {"pack_count": f"El número de paquetes debe ser al menos 1; indicaste {value}."}
        )
    return value


def _too_many(maximum: int) -> str:
    return (f"Puedes comprar máximo {maximum} paquetes en una compra; para más, haz otra "
            "compra o escríbenos.")


def _price(raw: Any, size: Any) -> Decimal:
    # Strings only: a JSON number would already have been through float.
    if not isinstance(raw, str):
        raise ValueError(f"pack {size}: price must be a string, got {raw!r}")
    try:
        return Decimal(raw)
    except InvalidOperation as error:
        raise ValueError(f"pack {size}: price {raw!r} is not a number") from error


def _plans(data: Mapping[str, Any], base: frozenset[str], notes: frozenset[str]) -> list[Plan]:
    plans = []
    for line in data["product_lines"]:
        for raw in line["plans"]:
            counts_notes = raw["counts_notes"]
            if not isinstance(counts_notes, bool):
                raise ValueError(f"plan {raw['code']}: counts_notes must be true or false")
            plans.append(
                Plan(
                    code=raw["code"],
                    product_line=line["name"],
                    name=raw["name"],
                    quota=raw["quota"],
                    period=raw["period"],
                    counts_notes=counts_notes,
                    counted_kinds=base | notes if counts_notes else base,
                    hotel_integration=line.get("hotel_integration", False) is True,
                )
            )
    return plans


def load_catalog(data: Mapping[str, Any]) -> Catalog:
    """Build and check a catalog from configuration data (the parsed `plans.json`)."""
    try:
        base = frozenset(data["counted_document_kinds"])
        notes = frozenset(data["note_document_kinds"])
        plans = _plans(data, base, notes)
        packs = sorted(
            (Pack(raw["size"], _price(raw["price"], raw["size"])) for raw in data["packs"]),
            key=lambda pack: pack.size,
        )
        currency = data["currency"]
        max_pack_count = data.get("max_packs_per_purchase", Catalog.max_pack_count)
    except (KeyError, TypeError) as error:
        raise ValueError(f"plans configuration is incomplete: {error!r}") from error
    codes = [plan.code for plan in plans]
    sizes = [pack.size for pack in packs]
    if len(set(codes)) != len(codes) or len(set(sizes)) != len(sizes) or not packs:
        raise ValueError("plans configuration repeats a plan code or a pack size, or has no pack")
    if base & notes or base | notes != DOCUMENT_KINDS:
        raise ValueError(f"each of {sorted(DOCUMENT_KINDS)} must be either counted or a note")
    return Catalog(currency, tuple(plans), tuple(packs), max_pack_count)


@cache
def default_catalog() -> Catalog:
    text = resources.files("loggro_app.data").joinpath("plans.json").read_text(encoding="utf-8")
    return load_catalog(json.loads(text))


def plan(code: str) -> Plan:
    return default_catalog().plan(code)


def pack_price(size: int | str) -> Decimal:
    return default_catalog().pack_price(size)


def purchase_total(size: int | str, count: int | str) -> Decimal:
    return default_catalog().purchase_total(size, count)
