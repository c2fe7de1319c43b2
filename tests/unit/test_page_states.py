"""Page states driven directly (no browser): what the forms do as a person types."""

from __future__ import annotations

import pytest

from loggro_app.state.customers import CustomersState
from loggro_app.state.organization import OrganizationState
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


def test_a_country_abroad_asks_for_a_city_and_a_foreign_identification(
        customers: CustomersState) -> None:
    assert customers.country_code == "CO" and not customers.is_abroad
    customers.set_country("US")
    assert customers.is_abroad and customers.id_type == "50"  # NIT de otro país offered
    customers.set_field("id_type", "41")
    customers.set_country("ES")
    assert customers.id_type == "41"  # a foreign identification already chosen is kept
    customers.set_field("city_name", "Madrid")
    assert customers.city_name == "Madrid"


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


def test_a_twenty_digit_pack_count_is_a_field_error_and_no_total() -> None:
    portal = PortalState()
    portal.set_pack_size("1000")
    portal.set_pack_count("9" * 20)
    assert portal.total == "" and "máximo 20 paquetes" in portal.errors["pack_count"]
    portal.to_summary()
    assert portal.step == 1


def test_an_unknown_municipality_deselects_the_previous_one() -> None:
    org = OrganizationState()
    org.set_municipality_text("medellin (antioquia)")
    assert org.municipality_code == "05001"
    org.set_municipality_text("Ciudad Inventada")
    assert org.municipality_code == ""  # saving now stops here instead of keeping Medellín


def test_a_refused_save_names_the_fields_that_stopped_it() -> None:
    from loggro_app.state.numbering import NumberingState

    state = NumberingState()
    state._reset_form()
    state.name, state.resolution_number, state.prefix = "Ventas", "18760000001", "SETPX"
    state.range_from, state.range_to = "1", "9" * 20
    state.valid_from, state.valid_to = "2026-01-01", "2027-01-01"
    state._save_and_close(None, None)  # type: ignore[arg-type]  # refused before any query
    assert state.form_error == ("No se guardó ningún cambio: revisa Prefijo, "
                                "Numeración final.")
    assert "999.999.999" in state.errors["range_to"]


def test_payment_means_picker_filters_by_typed_words_and_keeps_the_choice() -> None:
    from loggro_app.state.items import PaymentMethodsState

    state = PaymentMethodsState()
    state._reset_form()
    state.set_means_search("tarjeta credito")
    assert [o["code"] for o in state.means_options] == ["10", "48"]  # 10 is the chosen one
    state.set_means_search("consignacion")
    assert "42 · Consignación bancaria" in [o["name"] for o in state.means_options]


def test_each_payment_state_has_its_own_colour() -> None:
    from loggro_app.payments.gateway import PaymentStatus
    from loggro_app.state.portal import STATUS_COLORS

    assert set(STATUS_COLORS) == {s.value for s in PaymentStatus}
    assert len(set(STATUS_COLORS.values())) == len(STATUS_COLORS)
