"""Fixtures for the graphic representation: sample documents with fixed times.

Golden images are regenerated with UPDATE_GOLDEN=1, as the DIAN golden files are.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from loggro_app.core.clock import FixedClock
from loggro_app.dian import Document, build_document
from loggro_app.representation import GraphicData, SoftwareProvider

BOGOTA = timezone(timedelta(hours=-5))
ISSUED_AT = datetime(2026, 11, 22, 10, 30, 0, tzinfo=BOGOTA)
SIGNED_AT = ISSUED_AT + timedelta(seconds=2)
VALIDATED_AT = ISSUED_AT + timedelta(seconds=9)
PROVIDER = SoftwareProvider("900123456", "Loggro S.A.S.", "Loggro FE")
GOLDEN = Path(__file__).parent / "golden"


def update_golden() -> bool:
    return os.environ.get("UPDATE_GOLDEN") == "1"


def graphic_data(document: Document, *, validated: bool = True) -> GraphicData:
    """The document as the pipeline hands it over after DIAN accepted it."""
    built = build_document(document, signer=None, clock=FixedClock(ISSUED_AT))
    return GraphicData.of(
        document,
        unique_code=built.unique_code,
        scheme_name=built.scheme_name,
        signed_at=SIGNED_AT,
        provider=PROVIDER,
        dian_status="Aceptado por la DIAN" if validated else "Pendiente de envío",
        validated_at=VALIDATED_AT if validated else None,
    )


def need_binary(name: str, package: str) -> str:
    """Path of a Debian tool the test needs; skipped locally without it, failed in CI."""
    path = shutil.which(name)
    if path is None:
        reason = f"{name} is not installed (Debian {package}; `make debs-test` installs it)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def pdf_page_png(pdf: bytes, tmp_path: Path, *, dpi: int, page: int = 1) -> Path:
    """Rasterize one page with poppler's pdftoppm."""
    pdftoppm = need_binary("pdftoppm", "poppler-utils")
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    stem = tmp_path / f"page-{dpi}"
    subprocess.run(
        [pdftoppm, "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
         "-singlefile", str(source), str(stem)],
        check=True,
        timeout=60,
    )
    return stem.with_suffix(".png")
