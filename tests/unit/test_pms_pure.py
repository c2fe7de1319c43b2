"""The pure parts of the hotel PMS integration: webhook signature, rate limit, mapping."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from loggro_app.pms import mapping, signature
from loggro_app.pms.rate_limit import RateLimiter
from loggro_app.pms.schema import PmsDocumentIn


def test_the_signature_is_hmac_sha256_over_id_timestamp_and_raw_body() -> None:
    body = b'{"id":"e1","type":"document.accepted"}'
    headers = signature.headers("whs_secret", "e1", 1796212800, body)
    expected = hmac.new(b"whs_secret", b"e1.1796212800." + body, hashlib.sha256).hexdigest()
    assert headers[signature.SIGNATURE_HEADER] == f"v1={expected}"
    assert headers[signature.TIMESTAMP_HEADER] == "1796212800"
    # any change to what is signed changes the signature
    assert signature.signature("whs_secret", "e1", 1796212801, body) != f"v1={expected}"
    assert signature.signature("whs_other", "e1", 1796212800, body) != f"v1={expected}"
    assert signature.signature("whs_secret", "e2", 1796212800, body) != f"v1={expected}"
    assert signature.signature("whs_secret", "e1", 1796212800, body + b" ") != f"v1={expected}"


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_passes_then_the_property_waits() -> None:
    ticks = Ticks()
    limiter = RateLimiter(rate=2, burst=3, now=ticks)
    assert [limiter.take("p1") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.take("p1")
    assert wait == pytest.approx(0.5) and RateLimiter.retry_after(wait) == 1
    assert limiter.take("p2") == 0.0  # another property has its own bucket
    ticks.now = 0.5
    assert limiter.take("p1") == 0.0
    assert limiter.take("p1") > 0


def test_a_folio_maps_to_the_sales_form() -> None:
    document = PmsDocumentIn.model_validate({
        "pms_document_id": "F-9", "kind": "invoice", "prefix": "HOT", "number": 9,
        "issue_date": "2026-12-02",
        "lines": [{"category": "lodging", "description": "Noche", "quantity": 2,
                   "unit_price": "250000.00", "tax": "IVA_19"},
                  {"category": "minibar", "description": "Agua", "quantity": "1.5",
                   "unit_price": 4000, "tax": "IVA_19", "discount": "500"}],
        "tip": 15000})
    assert mapping.customer_of(document).id_number == "222222222222"
    form = mapping.form_of(document, customer_id=7, reference_id=None)
    assert (form.kind, form.customer_id, form.tip) == ("FE", 7, "15000")
    assert [(x.item_code, x.quantity, x.unit_price, x.discount) for x in form.lines] == [
        ("ALOJ", "2", "250000.00", ""), ("MINIB", "1.5", "4000", "500")]


@pytest.mark.parametrize("bad", [
    {"tip": "1.234"}, {"number": -1}, {"prefix": "hot"}, {"lines": []},
    {"unknown": 1}, {"kind": "receipt"}, {"pms_document_id": "a b"},
])
def test_the_schema_refuses_what_cannot_be_issued(bad: dict[str, object]) -> None:
    from pydantic import ValidationError

    body = {"pms_document_id": "F-9", "kind": "invoice", "prefix": "HOT", "number": 9,
            "issue_date": "2026-12-02",
            "lines": [{"description": "Noche", "quantity": 1, "unit_price": 1, "tax": "IVA_19"}]}
    PmsDocumentIn.model_validate(body)  # the valid body passes
    with pytest.raises(ValidationError):
        PmsDocumentIn.model_validate({**body, **bad})
