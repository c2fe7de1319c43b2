"""DIAN file naming (SPEC §4.5) and deterministic zips."""

from __future__ import annotations

import io
import zipfile

import pytest

from loggro_app.core.errors import ValidationError
from loggro_app.dian.signing.packaging import _zipfile_zip, deterministic_zip, file_names


def test_annex_example_name() -> None:
    # Annex example fv08001972680001900000011.xml: DIAN NIT, provider 000, year 19, seq 0x11.
    names = file_names("invoice", nit="800197268", year=2019, sequence=0x11)
    assert names.xml == "fv08001972680001900000011.xml"
    assert names.zip == "z08001972680001900000011.zip"


@pytest.mark.parametrize(
    ("kind", "prefix"),
    [
        ("credit_note", "nc"),
        ("debit_note", "nd"),
        ("support_document", "ds"),
        ("support_adjustment", "na"),
        ("application_response", "ar"),
        ("attached_document", "ad"),
    ],
)
def test_prefixes(kind: str, prefix: str) -> None:
    assert file_names(kind, nit="900123456", year=2026, sequence=255).xml == (
        f"{prefix}090012345600026000000ff.xml"
    )


def test_sequence_bounds() -> None:
    with pytest.raises(ValidationError, match="entre 1 y FFFFFFFF"):
        file_names("invoice", nit="900123456", year=2026, sequence=0x1_0000_0000)


def test_zip_is_deterministic_and_readable() -> None:
    first = deterministic_zip([("a.xml", b"<a/>" * 100)])
    second = deterministic_zip([("a.xml", b"<a/>" * 100)])
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        [info] = archive.infolist()
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert archive.read("a.xml") == b"<a/>" * 100
    assert deterministic_zip([("a.xml", b"<b/>")]) != first


@pytest.mark.parametrize(
    "members",
    [
        [("fv0900123456000260000001.xml", b'<?xml version="1.0"?><a>\xc3\xa9</a>' * 500)],
        [("a.xml", b"")],
        [("a.xml", b"<a/>" * 10), ("b.pdf", bytes(range(256)) * 300), ("c.txt", b"x")],
        [("facturación ñ.xml", b"<a>1</a>")],
        [],
    ],
)
def test_zip_bytes_are_those_zipfile_writes(members: list[tuple[str, bytes]]) -> None:
    assert deterministic_zip(members) == _zipfile_zip(members)
    with zipfile.ZipFile(io.BytesIO(deterministic_zip(members))) as archive:
        assert archive.testzip() is None
        assert [(i.filename, archive.read(i)) for i in archive.infolist()] == members
