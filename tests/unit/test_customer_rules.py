import pytest

from loggro_app.core.customer_rules import CustomerData, dv_preview
from loggro_app.core.errors import ValidationError

BASE = dict(identification_type="13", identification_number="1017123456", name="Ana Ruiz",
            address="Calle 1 # 2-3", municipality_code="05001", emails=["ana@correo.co"])


def parse(**changes):  # type: ignore[no-untyped-def]
    return CustomerData.parse(**{**BASE, **changes})


def test_postal_code_is_derived_from_the_municipality() -> None:
    assert parse().postal_code == "050001"


def test_override_with_another_code_of_the_municipality_is_kept() -> None:
    assert parse(postal_code="050021").postal_code == "050021"


def test_code_of_another_municipality_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        parse(postal_code="110111")
    assert "postal_code" in err.value.errors
    assert "Medellín" in err.value.errors["postal_code"]


def test_nit_gets_its_dv_and_a_wrong_dv_is_refused() -> None:
    ok = parse(identification_type="31", identification_number="900.123.456")
    assert (ok.identification_number, ok.dv, ok.person_type) == ("900123456", 8, "1")
    with pytest.raises(ValidationError) as err:
        parse(identification_type="31", identification_number="900123456", dv="3")
    assert err.value.errors == {"dv": "El dígito de verificación de 900123456 es 8, no 3."}


def test_several_emails_deduplicated_and_lowercased() -> None:
    data = parse(emails=["Ana@Correo.co", "ana@correo.co", "", "pagos@correo.co"])
    assert data.emails == ("ana@correo.co", "pagos@correo.co")


def test_xml_flag_requires_an_email() -> None:
    with pytest.raises(ValidationError) as err:
        parse(emails=[])
    assert "emails" in err.value.errors
    assert parse(emails=[], send_xml_email=False).emails == ()


def test_all_problems_reported_together() -> None:
    with pytest.raises(ValidationError) as err:
        parse(identification_type="99", name="", address="", municipality_code="",
              emails=["no-es-correo"])
    assert set(err.value.errors) == {"identification_type", "name", "address",
                                     "municipality_code", "emails"}
    assert err.value.errors["municipality_code"].startswith("Selecciona el departamento")


def test_unknown_municipality() -> None:
    with pytest.raises(ValidationError) as err:
        parse(municipality_code="99999")
    assert "DIVIPOLA" in err.value.errors["municipality_code"]


def test_dv_preview_while_typing() -> None:
    assert dv_preview("31", "900.123.456") == "8"
    assert dv_preview("31", "90012345a") == ""
    assert dv_preview("13", "900123456") == ""


def test_every_bad_email_is_named_not_only_the_last() -> None:
    with pytest.raises(ValidationError) as err:
        parse(emails=["uno@", "ana@correo.co", "dos@@x.co"])
    assert "«uno@»" in err.value.errors["emails"] and "«dos@@x.co»" in err.value.errors["emails"]


def test_nonsense_phone_and_huge_address_are_refused() -> None:
    with pytest.raises(ValidationError) as err:
        parse(phone="tel-abc", address="Calle " * 1000)
    assert set(err.value.errors) == {"phone", "address"}
    assert parse(phone="+57 (604) 444-1234").phone == "+57 (604) 444-1234"


ABROAD = dict(identification_type="50", identification_number="98-1234567",
              name="Andes Coffee Importers LLC", address="350 Fifth Avenue",
              country_code="US", city_name="New York", emails=["ap@andes.example.com"])


def test_a_customer_abroad_has_a_city_and_no_divipola_nor_postal_code() -> None:
    data = CustomerData.parse(**ABROAD)
    assert (data.country_code, data.city_name) == ("US", "New York")
    assert (data.municipality_code, data.postal_code, data.neighborhood) == ("", "", "")
    assert (data.identification_number, data.dv, data.person_type) == ("981234567", None, "1")
    # a municipality typed before switching the country is not kept
    assert CustomerData.parse(**{**ABROAD, "municipality_code": "05001"}).municipality_code == ""


@pytest.mark.parametrize("id_type", ["42", "41"])
def test_foreign_documents_and_passports_identify_a_customer_abroad(id_type: str) -> None:
    data = CustomerData.parse(**{**ABROAD, "identification_type": id_type,
                                 "identification_number": "X1234567"})
    assert (data.identification_type, data.person_type) == (id_type, "2")


def test_a_customer_abroad_needs_country_city_and_a_foreign_identification() -> None:
    with pytest.raises(ValidationError) as err:
        CustomerData.parse(**{**ABROAD, "identification_type": "13",
                              "identification_number": "1017123456", "city_name": " ",
                              "country_code": "XX"})
    assert err.value.errors == {
        "country_code": "Selecciona el país del cliente de la lista de la DIAN.",
        "city_name": "Escribe la ciudad del cliente en el exterior.",
        "identification_type": (
            "Un cliente del exterior se identifica con NIT de otro país, documento de "
            "identificación extranjero o pasaporte; la DIAN no acepta cédula de ciudadanía "
            "para un comprador del exterior."),
    }
    with pytest.raises(ValidationError) as err:
        CustomerData.parse(**{**ABROAD, "city_name": "N" * 101})
    assert err.value.errors == {"city_name": "La ciudad admite máximo 100 caracteres; tiene 101."}


def test_a_colombian_customer_still_needs_its_municipality() -> None:
    with pytest.raises(ValidationError) as err:
        parse(country_code="CO", city_name="Medellín", municipality_code="")
    assert set(err.value.errors) == {"municipality_code"}
    data = parse(country_code="co", city_name="ignored")
    assert (data.country_code, data.city_name, data.postal_code) == ("CO", "", "050001")
