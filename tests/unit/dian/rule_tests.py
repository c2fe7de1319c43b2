"""Rule code -> the tests that trigger it and pass at its edge.

Every code of `loggro_app.dian.rules.index.RULES` that the core *reports* (one of its places
is a check: the local rules, the verifier, the model's validation) must be listed here with
at least one test that names it; `test_rule_index.py` fails otherwise. Codes the core only
*implements* while building (FAB03, FAJ10, FAZ09, ...) are pinned by the golden files, and
the WS-Security codes (WSS01-WSS05) belong to the web-service client, not the core.
"""

from __future__ import annotations

_CODES = "tests.unit.dian.test_rule_codes"

RULE_TESTS: dict[str, tuple[str, ...]] = {
    "AAD06": (f"{_CODES}:test_unique_code_mismatch_per_document_type",),
    "CAD06": (f"{_CODES}:test_unique_code_mismatch_per_document_type",),
    "DAD06": (f"{_CODES}:test_unique_code_mismatch_per_document_type",),
    "DSAD06": (f"{_CODES}:test_unique_code_mismatch_per_document_type",),
    "FAD06": (f"{_CODES}:test_unique_code_mismatch_per_document_type",),
    "CAE02": (f"{_CODES}:test_cae02_cae04_note_without_reference_needs_a_period",),
    "CAE04": (f"{_CODES}:test_cae02_cae04_note_without_reference_needs_a_period",),
    "DSAK24b": (f"{_CODES}:test_dsak24b_support_document_seller_nit_without_dv",),
    "FAB07a": (
        f"{_CODES}:test_fab07a_issued_before_the_validity",
        f"{_CODES}:test_numbering_rules_read_from_the_xml",
    ),
    "FAB07b": (
        f"{_CODES}:test_fab07b_issued_after_the_validity",
        f"{_CODES}:test_numbering_rules_read_from_the_xml",
    ),
    "FAB36": (f"{_CODES}:test_fab36_qr_of_another_document_or_environment",),
    "FAD05b": (
        f"{_CODES}:test_fad05b_number_below_the_range",
        f"{_CODES}:test_numbering_rules_read_from_the_xml",
    ),
    "FAD05c": (
        f"{_CODES}:test_fad05c_number_above_the_range",
        f"{_CODES}:test_numbering_rules_read_from_the_xml",
    ),
    "FAD09e": (
        f"{_CODES}:test_fad09e_signed_on_another_day",
        f"{_CODES}:test_fad09e_read_from_the_xml_signing_time",
    ),
    "FAK24": (
        f"{_CODES}:test_fak24_and_fal07_dv_of_a_nit",
        f"{_CODES}:test_fak24_read_from_the_xml",
    ),
    "FAK61": (f"{_CODES}:test_fak61_natural_person_buyer_without_identification",),
    "FAL07": (f"{_CODES}:test_fak24_and_fal07_dv_of_a_nit",),
    "FAU02": (
        f"{_CODES}:test_fau02_lines_do_not_add_up",
        f"{_CODES}:test_fau02_fau06_fau14_read_from_the_xml",
    ),
    "FAU06": (f"{_CODES}:test_fau02_fau06_fau14_read_from_the_xml",),
    "FAU14": (f"{_CODES}:test_fau02_fau06_fau14_read_from_the_xml",),
    "VLR01": (f"{_CODES}:test_vlr01_negative_amounts",),
}
