"""The rule-code index matches the code: every rule code cited in the DIAN core is indexed,
and every indexed place exists and cites it."""

from __future__ import annotations

import importlib
import inspect

from loggro_app.dian.rules import index
from tests.unit.dian.rule_scan import scan
from tests.unit.dian.rule_tests import RULE_TESTS

# Where the core *reports* a violation (the local rules, the verifier, the model's checks),
# as opposed to the builders that only write what a rule asks for.
_REPORTING_MODULES = ("loggro_app.dian.rules.", "loggro_app.dian.signing.verify")


def _resolve(place: str) -> object:
    module_name, _, qualname = place.partition(":")
    target: object = importlib.import_module(module_name)
    for part in qualname.split("."):
        target = getattr(target, part)
    return target


def test_index_lists_exactly_the_rule_codes_in_the_source() -> None:
    indexed = {code: set(places) for code, places in index.RULES.items()}
    assert indexed == scan()


def test_every_indexed_place_exists() -> None:
    for places in index.RULES.values():
        for place in places:
            assert _resolve(place) is not None, place


def test_lookup_is_case_insensitive_and_says_when_unknown(capsys) -> None:  # type: ignore[no-untyped-def]
    assert index.where("fau04") == ("loggro_app.dian.totals:totals_of",)
    assert index.where("XYZ99") == ()
    index.main(["FAK61", "XYZ99"])
    out = capsys.readouterr().out
    assert "FAK61: loggro_app.dian.rules.document:_parties" in out
    assert "XYZ99: no lo verifica el núcleo local" in out


def test_architecture_page_lists_every_rule_code() -> None:
    from pathlib import Path

    page = (Path(__file__).parents[3] / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = page.split("## Rule-code index", 1)[1]
    assert [code for code in index.RULES if code not in table] == []


def _reports(place: str) -> bool:
    module, _, qualname = place.partition(":")
    if module.startswith(_REPORTING_MODULES):
        return True
    in_model = module.startswith("loggro_app.dian.model.")
    return in_model and (module.endswith(".checks") or "._check" in f".{qualname}")


def test_every_reported_rule_code_has_a_test() -> None:
    reported = {code for code, places in index.RULES.items() if any(map(_reports, places))}
    assert {"FAD05b", "FAK61", "FAU14", "VLR01"} <= reported  # the predicate sees the checks
    assert sorted(reported - set(RULE_TESTS)) == []


def test_every_listed_rule_test_exists_and_names_its_rule() -> None:
    assert sorted(set(RULE_TESTS) - set(index.RULES)) == []
    for code, tests in RULE_TESTS.items():
        assert tests, code
        for test in tests:
            function = _resolve(test)
            assert callable(function) and test.rpartition(":")[2].startswith("test_"), test
            assert code in inspect.getsource(function), f"{test} does not mention {code}"
