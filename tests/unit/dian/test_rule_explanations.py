"""Every rule code the sandbox or the core can return has a Spanish explanation and a field;
an unknown code keeps DIAN's text and is logged once."""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

import pytest

import loggro_app.standins.dian_sandbox as sandbox_package
from loggro_app.dian.rules import explanations, index
from loggro_app.dian.rules.explanation_texts import TEXTS
from loggro_app.dian.rules.explanations import FIELDS, Explanation, explain
from loggro_app.standins.dian_sandbox.rules import MESSAGES, NOTIFICATIONS
from tests.unit.dian.rule_scan import RULE_CODE

SANDBOX = Path(sandbox_package.__file__).parent
FINDING_CALL = re.compile(r"""finding\(\s*["']([^"']+)["']""")
LOGGER = explanations.__name__


def sandbox_codes() -> set[str]:
    """Rule codes written anywhere in the sandbox's source, plus its message table."""
    found = set(MESSAGES) | NOTIFICATIONS
    for path in SANDBOX.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        found |= set(RULE_CODE.findall(source)) | set(FINDING_CALL.findall(source))
    return found


@pytest.fixture()
def fresh_log(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as a fresh process would: nothing logged yet."""
    monkeypatch.setattr(explanations, "_logged", set())


def test_the_scan_sees_the_sandbox_codes() -> None:
    codes = sandbox_codes()
    assert {"90", "ZE02", "ZB01", "FAB24b", "AAH07", "LGS04", "FAJ43b"} <= codes


def test_every_sandbox_and_core_rule_code_has_an_explanation() -> None:
    wanted = sandbox_codes() | set(index.RULES)
    assert sorted(code for code in wanted if code not in TEXTS) == []


def test_every_explanation_names_a_known_field_and_says_something() -> None:
    for code, (field, text) in TEXTS.items():
        assert field in FIELDS, code
        assert len(text) > 30 and text.endswith("."), code
    assert {field for field, _ in TEXTS.values()} == FIELDS  # no key without a use


def test_known_codes_spot_checks() -> None:
    dv = explain("FAK24", "Regla: FAK24, Rechazo: DV no corresponde al NIT informado")
    assert dv == Explanation("FAK24", TEXTS["FAK24"][1], "customer.identification", True)
    assert "Contactos" in dv.text and "DV" in dv.text
    assert explain("90", "Documento procesado anteriormente.").field == "document"
    assert explain("FAD05c", "").field == "numbering"
    assert explain("ZE02", "Valor de la firma inválido.").field == "certificate"
    assert explain("LGS06", "").field == "connection"


def test_lookup_tolerates_case_and_spaces() -> None:
    found = explain(" fad05B ", "x")
    assert found.known and found.field == "numbering" and found.code == "fad05B"


def test_unknown_code_is_verbatim_and_logged_once(
    fresh_log: None, caplog: pytest.LogCaptureFixture
) -> None:
    text = "Regla: XYZ99, Rechazo: algo nuevo que la DIAN empezó a validar"
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        first = explain("XYZ99", text)
        second = explain("XYZ99", text)
        explain("XYZ98", "otra")
    assert first == second == Explanation("XYZ99", text, None, False)
    messages = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert [m for m in messages if "XYZ99" in m] == [
        f"Regla DIAN sin explicación: XYZ99 ({text})"
    ]
    assert len([m for m in messages if "XYZ98" in m]) == 1


def test_unknown_code_is_logged_once_across_threads(
    fresh_log: None, caplog: pytest.LogCaptureFixture
) -> None:
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        for _ in range(50):
            explain("QQQ01", "nuevo")

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len([r for r in caplog.records if "QQQ01" in r.getMessage()]) == 1


def test_known_codes_are_not_logged(fresh_log: None, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        explain("FAK24", "x")
    assert caplog.records == []
