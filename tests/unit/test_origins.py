"""Back from the bank to the address the payer left from."""

from __future__ import annotations

import pytest

from loggro_app.core.origins import return_origin

CONFIGURED = "http://127.0.0.1:3000"


@pytest.mark.parametrize(("page", "expected"), [
    ("http://localhost:3000/portal", "http://localhost:3000"),  # where the session lives
    ("http://127.0.0.1:3000/portal?x=1", "http://127.0.0.1:3000"),
    ("http://evil.example:3000/portal", CONFIGURED),  # never somewhere else
    ("http://localhost:4000/portal", CONFIGURED),
    ("https://localhost:3000/portal", CONFIGURED),
    ("", CONFIGURED),
])
def test_the_payer_returns_to_the_origin_they_left_from(page: str, expected: str) -> None:
    assert return_origin(page, CONFIGURED) == expected
