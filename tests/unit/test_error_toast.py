"""An unexpected failure is told in Spanish, without the technical detail."""

from __future__ import annotations

import logging

import pytest

from loggro_app.error_toast import UNEXPECTED_TITLE


def test_the_app_answers_failures_in_spanish(caplog: pytest.LogCaptureFixture) -> None:
    from loggro_app.loggro_app import app

    with caplog.at_level(logging.ERROR):
        spec = app.backend_exception_handler(ValueError("detalle interno 4242"))
    shown = repr(spec)
    assert UNEXPECTED_TITLE in shown and "An error occurred" not in shown
    assert "4242" not in shown and "4242" in caplog.text  # told to the log only
