"""Page states driven directly (no browser): what the forms do as a person types."""

from __future__ import annotations

import pytest

from loggro_app.state.customers import CustomersState
from loggro_app.state.portal import PortalState


@pytest.fixture
def customers() -> CustomersState:
    state = CustomersState()  # allowed under pytest: no server, no browser
    state._reset_form()
    return state


def test_department_then_municipality_derives_the_postal_code(customers: CustomersState) -> None:
    customers.set_department("05")
    assert "Medellín" in customers.municipality_options
    customers.set_municipality_text("medellin")  # typed without accent nor capital
    assert (customers.municipality_code, customers.postal_code) == ("05001", "050001")
    customers.set_neighborhood("Laureles")
    assert customers.postal_code == "050031"


def test_override_then_back_to_the_derived_code(customers: CustomersState) -> None:
    customers.set_department("05")
    customers.set_municipality_text("Medellín")
    customers.set_postal_code("050021")
    assert customers.postal_overridden and customers.postal_code == "050021"
    customers.set_neighborhood("Laureles")  # an override is kept when the barrio changes
    assert customers.postal_code == "050021"
    customers.reset_postal_code()
    assert (customers.postal_overridden, customers.postal_code) == (False, "050031")


def test_changing_department_clears_the_municipality(customers: CustomersState) -> None:
    customers.set_department("05")
    customers.set_municipality_text("Medellín")
    customers.set_department("11")
    assert (customers.municipality_code, customers.postal_code) == ("", "")


def test_emails_can_be_added_edited_and_removed(customers: CustomersState) -> None:
    customers.set_email(0, "a@b.co")
    customers.add_email()
    customers.set_email(1, "c@d.co")
    customers.remove_email(0)
    assert customers.emails == ["c@d.co"]
    customers.remove_email(0)
    assert customers.emails == [""]  # always one field to type in


def test_pack_quote_follows_what_is_typed() -> None:
    portal = PortalState()
    portal.set_pack_size("50")
    assert portal.unit_price == "$ 84.000,00"
    portal.set_pack_count("2")
    assert (portal.documents, portal.total) == (100, "$ 168.000,00")
    portal.set_pack_count("0")
    assert portal.total == "" and "pack_count" in portal.errors
    portal.set_pack_count("3")
    portal.to_summary()
    assert portal.step == 2 and portal.total == "$ 252.000,00"
