"""A zip whose header under-declares its size must not inflate past the bound: the bytes
actually inflated are counted, not the header's word for them."""

from __future__ import annotations

import base64
import io
import struct
import tracemalloc
import zipfile

import pytest

from loggro_app.dian.client.operations import document_key_in_zip
from loggro_app.dian.signing.bounded_zip import ZipTooLarge, xml_members
from loggro_app.standins.dian_sandbox.processing import unzip

MB = 1024 * 1024
INFLATED = 128 * MB + 12345  # an odd size: its 4 bytes appear only in the two headers
DECLARED = 1000


def zip_bomb() -> bytes:
    """About 130 KB that inflate to 128 MB, with both headers claiming 1000 bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("fv0900123456.xml", "w", force_zip64=False) as member:
            block = b" " * MB
            for _ in range(INFLATED // MB):
                member.write(block)
            member.write(block[:INFLATED % MB])
    data = buffer.getvalue()
    assert data.count(struct.pack("<I", INFLATED)) == 2  # local header + central directory
    return data.replace(struct.pack("<I", INFLATED), struct.pack("<I", DECLARED))


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = zip_bomb()
    assert len(data) < MB
    return data


def _peak_bytes(action) -> tuple[int, Exception | None]:  # type: ignore[no-untyped-def]
    """Peak memory while `action` runs, and the zip error it raised if any."""
    tracemalloc.start()
    try:
        action()
        error = None
    except (ZipTooLarge, zipfile.BadZipFile) as exc:
        error = exc
    try:
        return tracemalloc.get_traced_memory()[1], error
    finally:
        tracemalloc.stop()


def test_the_sandbox_refuses_a_zip_bomb_without_inflating_it(bomb: bytes) -> None:
    found: list[object] = []
    peak, _ = _peak_bytes(lambda: found.append(unzip(base64.b64encode(bomb).decode())))
    assert found == [None]  # answered as an unreadable zip (LGS04)
    assert peak < 16 * MB


@pytest.mark.parametrize("read", [
    lambda data: xml_members(data, max_members=1, max_bytes=4 * MB),
    document_key_in_zip,
])
def test_reading_members_counts_the_bytes_actually_inflated(bomb: bytes, read) -> None:  # type: ignore[no-untyped-def]
    peak, error = _peak_bytes(lambda: read(bomb))
    assert error is not None
    assert peak < 16 * MB


def test_an_honest_zip_is_read_whole() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", b"<a/>")
        archive.writestr("b.xml", b"<b/>")
    assert xml_members(buffer.getvalue(), max_members=2, max_bytes=100) == [
        ("a.xml", b"<a/>"), ("b.xml", b"<b/>")]
    with pytest.raises(ZipTooLarge):
        xml_members(buffer.getvalue(), max_members=1, max_bytes=100)
    with pytest.raises(ZipTooLarge):
        xml_members(buffer.getvalue(), max_members=2, max_bytes=6)
