"""Where each DIAN rule code lives: rule code -> the functions that check or implement it.

A place is `module:function` (or a module-level table). `tests/unit/dian/test_rule_index.py`
scans the source for every rule code in a message, table, docstring or comment and fails when
this index and the code disagree, so it cannot go stale. To find a rule:
`python -m loggro_app.dian.rules.index FAU04`.
"""

from __future__ import annotations

import sys

RULES: dict[str, tuple[str, ...]] = {
    "AAD06": (
        "loggro_app.dian.event_check:_integrity",
        "loggro_app.dian.signing.verify:RULE_BY_TYPE",
    ),
    "AAD09e": (
        "loggro_app.dian.build_events:build_event",
        "loggro_app.dian.signing.signer:DianXAdESSigner.add_signing_time",
    ),
    "CAD06": ("loggro_app.dian.signing.verify:RULE_BY_TYPE",),
    "CAE02": (
        "loggro_app.dian.model.document:Document",
        "loggro_app.dian.model.document:Document._check_note",
        "loggro_app.dian.ubl.documents:_period_and_references",
    ),
    "CAE04": (
        "loggro_app.dian.model.document:Document",
        "loggro_app.dian.model.document:Document._check_note",
        "loggro_app.dian.ubl.documents:_period_and_references",
    ),
    "DAD06": ("loggro_app.dian.signing.verify:RULE_BY_TYPE",),
    "DSAD06": ("loggro_app.dian.signing.verify:RULE_BY_TYPE",),
    "DSAK24b": ("loggro_app.dian.rules.document:_parties",),
    "DSFC01": ("loggro_app.dian.ubl.amounts:line",),
    "DSFC03": ("loggro_app.dian.ubl.documents:_type_notes_currency",),
    "FAB03": ("loggro_app.dian.ubl.extensions:dian_extensions",),
    "FAB05": ("loggro_app.dian.ubl.extensions:invoice_control",),
    "FAB07a": (
        "loggro_app.dian.rules.document:_numbering",
        "loggro_app.dian.rules.xml:numbering_errors",
    ),
    "FAB07b": (
        "loggro_app.dian.rules.document:_numbering",
        "loggro_app.dian.rules.xml:numbering_errors",
    ),
    "FAB15": ("loggro_app.dian.ubl.extensions:invoice_control",),
    "FAB36": ("loggro_app.dian.rules.xml:environment_errors",),
    "FAD05b": (
        "loggro_app.dian.rules.document:_numbering",
        "loggro_app.dian.rules.xml:numbering_errors",
    ),
    "FAD05c": (
        "loggro_app.dian.rules.document:_numbering",
        "loggro_app.dian.rules.xml:numbering_errors",
    ),
    "FAD06": (
        "loggro_app.dian.signing.verify:RULE_BY_TYPE",
        "loggro_app.dian.signing.verify:verify_xml",
    ),
    "FAD09e": (
        "loggro_app.dian.rules.document:_dates",
        "loggro_app.dian.rules.xml:date_errors",
        "loggro_app.dian.signing.signer:DianXAdESSigner.add_signing_time",
    ),
    "FAJ10": ("loggro_app.dian.ubl.parties:address",),
    "FAK24": (
        "loggro_app.dian.model.parties:Party._check_dv",
        "loggro_app.dian.rules.xml:dv_errors",
        "loggro_app.dian.ubl.parties:company_id_attrs",
    ),
    "FAK61": ("loggro_app.dian.rules.document:_parties", "loggro_app.dian.ubl.parties:_party"),
    "FAL07": (
        "loggro_app.dian.model.parties:Party._check_dv",
        "loggro_app.dian.ubl.parties:company_id_attrs",
    ),
    "FAS01b": ("loggro_app.dian.totals:TaxTotal", "loggro_app.dian.ubl.amounts:tax_total"),
    "FAU02": (
        "loggro_app.dian.rules.document:_totals",
        "loggro_app.dian.signing.verify:total_errors",
        "loggro_app.dian.ubl.amounts:monetary_total",
    ),
    "FAU04": ("loggro_app.dian.totals:totals_of",),
    "FAU06": ("loggro_app.dian.signing.verify:total_errors",),
    "FAU14": (
        "loggro_app.dian.signing.verify:total_errors",
        "loggro_app.dian.ubl.amounts:monetary_total",
    ),
    "FAZ09": ("loggro_app.dian.ubl.amounts:item_and_price",),
    "VLR01": (
        "loggro_app.dian.model.checks:decimal",
        "loggro_app.dian.totals:totals_of",
        "loggro_app.dian.totals:line_totals",
    ),
    "WSS01": ("loggro_app.dian.client.wsverify:parse_request",),
    "WSS02": (
        "loggro_app.dian.client.wsverify:_check_signature",
        "loggro_app.dian.client.wsverify:_token",
    ),
    "WSS03": (
        "loggro_app.dian.client.wsverify:_check_timestamp",
        "loggro_app.dian.client.wsverify:_parse_time",
    ),
    "WSS04": ("loggro_app.dian.client.wsverify:_check_certificate",),
    "WSS05": ("loggro_app.dian.client.wsverify:parse_request",),
}


def where(code: str) -> tuple[str, ...]:
    """The `module:function` places that check `code` (case-insensitive), or ()."""
    wanted = code.strip().upper()
    return next((places for known, places in RULES.items() if known.upper() == wanted), ())


def main(argv: list[str]) -> int:
    for code in argv or sorted(RULES):
        places = where(code)
        print(f"{code}: {', '.join(places) if places else 'no lo verifica el núcleo local'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
