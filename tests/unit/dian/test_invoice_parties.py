"""An invoice's two parties read back from its signed XML, as an event names them."""

from __future__ import annotations

from loggro_app.dian import CUSTOMER, SUPPLIER, parse_untrusted, party_of
from tests.unit.reception.package import package


def test_both_parties_as_the_invoice_wrote_them() -> None:
    built = package()
    root = parse_untrusted(built.invoice.xml_bytes)
    supplier, customer = party_of(root, SUPPLIER), party_of(root, CUSTOMER)
    issuer, buyer = built.document.issuer, built.document.counterparty
    for read, written in ((supplier, issuer), (customer, buyer)):
        assert (read.name, read.id_type, read.id_number, read.dv) == (
            written.name, written.id_type, written.id_number, written.dv)
        assert read.responsibilities == written.responsibilities
        assert read.tax_scheme == written.tax_scheme
    assert supplier.id_number != customer.id_number
