"""UBL party and address blocks (SPEC §2.5, §2.6)."""

from __future__ import annotations

from lxml import etree

from loggro_app.core import nit
from loggro_app.dian import codes
from loggro_app.dian.model.parties import Address, Party
from loggro_app.dian.xmlns import cac, cbc, copied_block, dian_agency


def company_id_attrs(party: Party, *, force_nit_scheme: bool = False) -> dict[str, str]:
    """CompanyID attributes: schemeID carries the DV only for NIT (FAK24, FAL07)."""
    scheme_name = nit.NIT_TYPE if force_nit_scheme else party.id_type
    attrs = dian_agency(schemeName=scheme_name)
    if party.dv is not None and party.id_type == nit.NIT_TYPE:
        attrs["schemeID"] = str(party.dv)
    return attrs


def address(parent: etree._Element, name: str, addr: Address) -> etree._Element:
    """cac:Address / cac:RegistrationAddress: DIVIPOLA city + department (FAJ10)."""
    node = cac(parent, name)
    if addr.is_colombian:
        cbc(node, "ID", addr.municipality_code)
    cbc(node, "CityName", addr.city)
    if addr.postal_code:
        cbc(node, "PostalZone", addr.postal_code)
    if addr.is_colombian:
        cbc(node, "CountrySubentity", addr.department)
        cbc(node, "CountrySubentityCode", addr.department_code)
    line = cac(node, "AddressLine")
    cbc(line, "Line", addr.street)
    country = cac(node, "Country")
    cbc(country, "IdentificationCode", addr.country_code)
    cbc(country, "Name", addr.country_name, languageID="es")
    return node


def tax_scheme(parent: etree._Element, scheme_id: str, name: str) -> None:
    scheme = cac(parent, "TaxScheme")
    cbc(scheme, "ID", scheme_id)
    cbc(scheme, "Name", name)


def party_tax_scheme(
    parent: etree._Element,
    party: Party,
    *,
    force_nit_scheme: bool = False,
    with_address: bool = True,
) -> None:
    """PartyTaxScheme: RegistrationName, CompanyID+DV, TaxLevelCode (table 13.2.6.1)."""
    node = cac(parent, "PartyTaxScheme")
    cbc(node, "RegistrationName", party.name)
    cbc(
        node,
        "CompanyID",
        party.id_number,
        **company_id_attrs(party, force_nit_scheme=force_nit_scheme),
    )
    cbc(node, "TaxLevelCode", ";".join(party.responsibilities), listName=party.tax_regime)
    if with_address and party.address is not None:
        address(node, "RegistrationAddress", party.address)
    tax_scheme(node, party.tax_scheme, codes.PARTY_TAX_SCHEMES[party.tax_scheme])


def party(
    parent: etree._Element,
    role: str,
    party: Party,
    *,
    corporate_prefix: str | None = None,
    force_nit_scheme: bool = False,
) -> None:
    """AccountingSupplierParty / AccountingCustomerParty (SPEC §2.5).

    An issuer signs many documents and buyers recur: the block is built once per distinct
    (role, party, prefix, scheme) and copied (`copied_block`).
    """
    copied_block(
        parent,
        (_party, role, party, corporate_prefix, force_nit_scheme),
        lambda holder: _party(
            holder,
            role,
            party,
            corporate_prefix=corporate_prefix,
            force_nit_scheme=force_nit_scheme,
        ),
    )


def _party(
    parent: etree._Element,
    role: str,
    party: Party,
    *,
    corporate_prefix: str | None,
    force_nit_scheme: bool,
) -> None:
    wrapper = cac(parent, role)
    cbc(wrapper, "AdditionalAccountID", party.organization_type)
    node = cac(wrapper, "Party")
    if party.organization_type == "2" or role == "AccountingCustomerParty":
        # FAK61: a natural-person buyer needs PartyIdentification.
        ident = cac(node, "PartyIdentification")
        cbc(
            ident,
            "ID",
            party.id_number,
            **company_id_attrs(party, force_nit_scheme=force_nit_scheme),
        )
    name = cac(node, "PartyName")
    cbc(name, "Name", party.trade_name or party.name)
    if party.address is not None:
        location = cac(node, "PhysicalLocation")
        address(location, "Address", party.address)
    party_tax_scheme(node, party, force_nit_scheme=force_nit_scheme)
    legal = cac(node, "PartyLegalEntity")
    cbc(legal, "RegistrationName", party.name)
    cbc(
        legal,
        "CompanyID",
        party.id_number,
        **company_id_attrs(party, force_nit_scheme=force_nit_scheme),
    )
    if corporate_prefix is not None:
        scheme = cac(legal, "CorporateRegistrationScheme")
        cbc(scheme, "ID", corporate_prefix)
    if party.email or party.phone:
        contact = cac(node, "Contact")
        if party.phone:
            cbc(contact, "Telephone", party.phone)
        if party.email:
            cbc(contact, "ElectronicMail", party.email)
