"""Plans catalog (plans.json): quotas, periods, packs and purchase totals."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest

from loggro_app.core import plans
from loggro_app.core.errors import ValidationError


def raw_config() -> dict[str, Any]:
    text = resources.files("loggro_app.data").joinpath("plans.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@pytest.mark.parametrize(
    ("code", "line", "name", "quota", "period"),
    [
        ("fe_basico", "Facturación Electrónica", "Básico", 100, plans.YEAR),
        ("fe_estandar", "Facturación Electrónica", "Estándar", 45, plans.MONTH),
        ("fe_premium", "Facturación Electrónica", "Premium", 125, plans.MONTH),
        ("sac_basico", "Software Administrativo y Contable", "Básico", 30, plans.MONTH),
        ("sac_estandar", "Software Administrativo y Contable", "Estándar", 100, plans.MONTH),
        ("sac_premium", "Software Administrativo y Contable", "Premium", 200, plans.MONTH),
    ],
)
def test_plans_match_the_help_page(
    code: str, line: str, name: str, quota: int, period: str
) -> None:
    plan = plans.plan(code)
    assert (plan.product_line, plan.name, plan.quota, plan.period) == (line, name, quota, period)


def test_exactly_six_plans() -> None:
    assert len(plans.default_catalog().plans) == 6


def test_plan_label() -> None:
    assert plans.plan("fe_basico").label == (
        "Facturación Electrónica Básico: 100 documentos electrónicos al año"
    )
    assert plans.plan("sac_premium").label.endswith("200 documentos electrónicos al mes")


def test_counted_kinds_without_notes() -> None:
    plan = plans.plan("fe_estandar")
    assert plan.counts(plans.INVOICE)
    assert plan.counts(plans.PURCHASE_RECEPTION)
    assert plan.counts(plans.SUPPORT_DOCUMENT)
    assert not plan.counts(plans.CREDIT_NOTE)
    assert not plan.counts(plans.DEBIT_NOTE)
    assert not plan.counts(plans.SUPPORT_ADJUSTMENT_NOTE)


def test_a_plan_may_count_notes() -> None:
    data = raw_config()
    data["product_lines"][0]["plans"][0]["counts_notes"] = True
    plan = plans.load_catalog(data).plan("fe_basico")
    assert plan.counts(plans.CREDIT_NOTE) and plan.counts(plans.DEBIT_NOTE)


def test_unknown_document_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown document kind"):
        plans.plan("fe_basico").counts("invoce")


def test_unknown_plan() -> None:
    with pytest.raises(ValidationError) as caught:
        plans.plan("oro")
    assert caught.value.errors == {"plan": "El plan «oro» no existe."}


def test_pack_prices_are_decimals_from_strings() -> None:
    assert [p.size for p in plans.default_catalog().packs] == [50, 150, 450, 1000]
    assert plans.pack_price(50) == Decimal("84000")
    assert plans.pack_price("150") == Decimal("252000")
    assert all(isinstance(p.price, Decimal) for p in plans.default_catalog().packs)


def test_purchase_total_as_in_the_help_page_example() -> None:
    # "Si digitas 2 y seleccionaste paquete de 50, la compra se realizará por 100 facturas
    # (cada paquete con un valor de $84.000)."
    assert plans.purchase_total(50, 2) == Decimal("168000")
    assert plans.purchase_total("50", " 2 ") == Decimal("168000")
    assert plans.purchase_total(1000, 3) == Decimal("5040000")


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (0, "El número de paquetes debe ser al menos 1; indicaste 0."),
        (-2, "El número de paquetes debe ser al menos 1; indicaste -2."),
        ("-1", "El número de paquetes debe ser al menos 1; indicaste -1."),
        ("dos", "«dos» no es un número de paquetes: escribe un número entero."),
        ("1.5", "«1.5» no es un número de paquetes: escribe un número entero."),
        ("1e3", "«1e3» no es un número de paquetes: escribe un número entero."),
        ("", "Escribe cuántos paquetes quieres comprar."),
        (True, "Escribe cuántos paquetes quieres comprar."),
        (2.0, "Escribe cuántos paquetes quieres comprar."),
    ],
)
def test_purchase_total_refuses_bad_counts(count: Any, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        plans.purchase_total(50, count)
    assert caught.value.errors == {"pack_count": message}


@pytest.mark.parametrize("size", [75, "cien", 0])
def test_unknown_pack(size: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        plans.purchase_total(size, 1)
    assert caught.value.errors == {
        "pack_size": f"No existe un paquete de {size} documentos. "
        "Paquetes disponibles: 50, 150, 450 y 1000."
    }


def _broken(change: str) -> dict[str, Any]:
    data = copy.deepcopy(raw_config())
    first_plan = data["product_lines"][0]["plans"][0]
    if change == "float price":
        data["packs"][0]["price"] = 84000.0
    elif change == "bad price":
        data["packs"][0]["price"] = "84.000,00"
    elif change == "zero price":
        data["packs"][0]["price"] = "0"
    elif change == "period":
        first_plan["period"] = "week"
    elif change == "quota":
        first_plan["quota"] = "100"
    elif change == "counts_notes":
        first_plan["counts_notes"] = "no"
    elif change == "duplicate pack":
        data["packs"].append({"size": 50, "price": "1"})
    elif change == "unclassified kind":
        data["note_document_kinds"].remove("debit_note")
    elif change == "missing key":
        del data["packs"]
    return data


@pytest.mark.parametrize(
    "change",
    [
        "float price",
        "bad price",
        "zero price",
        "period",
        "quota",
        "counts_notes",
        "duplicate pack",
        "unclassified kind",
        "missing key",
    ],
)
def test_broken_configuration_fails_at_load(change: str) -> None:
    with pytest.raises(ValueError):
        plans.load_catalog(_broken(change))


def test_pack_count_has_a_configurable_maximum_per_purchase() -> None:
    catalog = plans.default_catalog()
    assert catalog.max_pack_count == 20  # loggro_app/data/plans.json
    assert catalog.purchase_total(1000, 20) == Decimal("33600000")
    for typed in (21, "9" * 20, "1" + "0" * 5000):
        with pytest.raises(ValidationError) as caught:
            catalog.purchase_total(50, typed)
        assert caught.value.errors == {"pack_count": (
            "Puedes comprar máximo 20 paquetes en una compra; para más, haz otra compra o "
            "escríbenos.")}


def test_maximum_is_read_from_the_configuration() -> None:
    data = raw_config()
    assert plans.load_catalog({**data, "max_packs_per_purchase": 5}).max_pack_count == 5
    with pytest.raises(ValueError, match="max_packs_per_purchase"):
        plans.load_catalog({**data, "max_packs_per_purchase": 0})
