"""Document lines: quantity x price, allowances/charges, taxes and withholdings."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from loggro_app.dian import codes
from loggro_app.dian.model import checks


@dataclass(frozen=True)
class TaxRate:
    """A tax applied to a line: IVA 0/5/19 or INC 8 (table 13.2.2 / rate tables)."""

    scheme: str  # "01" IVA, "04" INC
    percent: Decimal

    def __post_init__(self) -> None:
        checks.one_of(
            "impuesto", self.scheme, codes.TAX_RATES, "código de impuesto (01 IVA, 04 INC)"
        )
        checks.decimal("tarifa", self.percent)
        allowed = codes.TAX_RATES[self.scheme]
        if self.percent not in {Decimal(rate) for rate in allowed}:
            name = codes.TAX_NAMES[self.scheme]
            checks.fail(
                "tarifa",
                f"tarifa: {self.percent}% no es una tarifa de {name} permitida "
                f"(use {', '.join(allowed)}).",
            )

    @property
    def name(self) -> str:
        return codes.TAX_NAMES[self.scheme]


@dataclass(frozen=True)
class Withholding:
    """A withholding (05 ReteIVA on the IVA amount, 06 ReteFuente, 07 ReteICA on the base)."""

    scheme: str
    percent: Decimal

    def __post_init__(self) -> None:
        checks.one_of(
            "retencion", self.scheme, codes.WITHHOLDING_TAXES, "código de retención (05, 06, 07)"
        )
        checks.decimal("tarifa_retencion", self.percent, positive=True)
        if self.scheme == "05" and self.percent not in {Decimal(r) for r in codes.RETEIVA_RATES}:
            checks.fail("tarifa_retencion", "tarifa_retencion: ReteIVA admite 15% o 100%.")
        if self.percent > 100:
            checks.fail("tarifa_retencion", "tarifa_retencion: no puede superar 100%.")

    @property
    def name(self) -> str:
        return codes.TAX_NAMES[self.scheme]


@dataclass(frozen=True)
class AllowanceCharge:
    """A discount (is_charge False) or surcharge on a line or on the whole document."""

    amount: Decimal
    reason: str
    is_charge: bool = False

    def __post_init__(self) -> None:
        checks.decimal("descuento_cargo", self.amount, positive=True)
        if self.amount != self.amount.quantize(Decimal("0.01")):
            checks.fail("descuento_cargo", "descuento_cargo: máximo 2 decimales.")
        checks.text("motivo", self.reason, max_len=200)


@dataclass(frozen=True)
class Line:
    """One invoiced item. LineExtensionAmount = qty x price - allowances + charges."""

    code: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    unit_code: str = "94"  # 94 = unidad (UN/ECE rec. 20)
    taxes: tuple[TaxRate, ...] = ()
    withholdings: tuple[Withholding, ...] = ()
    allowances: tuple[AllowanceCharge, ...] = ()
    brand: str | None = None  # cbc:BrandName, required on export invoices (02)
    model: str | None = None  # cbc:ModelName, required on export invoices (02)

    def __post_init__(self) -> None:
        checks.text("codigo", self.code, max_len=50)
        checks.text("descripcion", self.description, max_len=300)
        checks.text("marca", self.brand, required=False, max_len=100)
        checks.text("modelo", self.model, required=False, max_len=100)
        checks.decimal("cantidad", self.quantity, positive=True)
        checks.decimal("precio_unitario", self.unit_price)
        checks.one_of("unidad", self.unit_code, codes.units(), "código de unidad de medida")
        schemes = [tax.scheme for tax in self.taxes]
        if len(schemes) != len(set(schemes)):
            checks.fail("impuestos", "impuestos: un mismo impuesto aparece dos veces en la línea.")
        held = [w.scheme for w in self.withholdings]
        if len(held) != len(set(held)):
            checks.fail("retenciones", "retenciones: una misma retención aparece dos veces.")
        if "05" in held and "01" not in schemes:
            checks.fail("retenciones", "retenciones: ReteIVA requiere IVA en la línea.")
