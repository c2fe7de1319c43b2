"""What a sender can put in an attachment never crashes the verification: bombs, climbing
paths, nested archives, garbage and broken XML each fail with a reason."""

from __future__ import annotations

import io
import os
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest

from loggro_app.reception import UnsafeAttachment, Verdict, unpack, verify_received
from loggro_app.reception.unpack import MAX_MEMBERS, unsafe_name
from tests.unit.reception.package import BUYER_NIT, PDF, mailed, package, zipped

MB = 1024 * 1024
GB = 1024 * MB


def verify(data: bytes) -> Verdict:
    return verify_received(data, buyer_nit=BUYER_NIT, known_cufes=set())


def refused(data: bytes, words: str) -> Verdict:
    verdict = verify(data)
    assert not verdict.ok and verdict.invoice is None
    assert verdict.codes == ["adjunto"], verdict.reasons
    assert words in verdict.reasons[0], verdict.reasons
    return verdict


def zeros(name: str, megabytes: int) -> bytes:
    """An honest zip of `megabytes` MB of zeros (deflate shrinks them ~1000 times).

    Written by hand, as compressing a gigabyte takes seconds: a full flush resets the
    compressor, so every 1 MB block compresses to the same bytes and the stream is one
    block's output repeated.
    """
    block = bytes(MB)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate, as zip members are
    piece = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    stream = piece * megabytes + packer.flush()
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    size, raw = megabytes * MB, name.encode()
    common = (8, 0, 0x21, crc, len(stream), size, len(raw))  # deflate, dos time and date
    local = struct.pack("<4s3H2H3I2H", b"PK\x03\x04", 20, 0, *common, 0) + raw
    central = struct.pack("<4s4H2H3I5H2I", b"PK\x01\x02", 20, 20, 0, *common,
                          0, 0, 0, 0, 0, 0) + raw
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, 1, 1, len(central),
                      len(local) + len(stream), 0)
    return local + stream + central + end


@pytest.fixture(scope="module")
def gigabyte_bomb() -> bytes:
    data = zeros("ad0900123456000260000001.xml", 1024)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # a well-formed zip, honest headers
        assert archive.infolist()[0].file_size == GB
    assert len(data) < 2 * MB
    return data


def test_a_gigabyte_of_zeros_is_refused_without_inflating_it(gigabyte_bomb: bytes) -> None:
    tracemalloc.start()
    started = time.process_time()
    try:
        refused(gigabyte_bomb, "más de 20 MB")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * MB
    assert time.process_time() - started < 1


def test_a_bomb_whose_headers_lie_is_stopped_at_the_bound() -> None:
    """The headers say 1000 bytes: reading stops there, and the lie shows as a bad CRC."""
    raw = zeros("ad.xml", 64)
    assert raw.count(struct.pack("<I", 64 * MB)) == 2
    lying = raw.replace(struct.pack("<I", 64 * MB), struct.pack("<I", 1000))
    tracemalloc.start()
    try:
        refused(lying, "dañado")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * MB


def test_a_small_member_that_inflates_too_much_is_a_bomb() -> None:
    """5 MB of zeros: under the total bound, but a ratio no invoice reaches."""
    refused(zeros("ad.xml", 5), "posible bomba ZIP")


def test_a_two_megabyte_pdf_is_fine() -> None:
    pdf = PDF + os.urandom(2 * MB)  # incompressible, as a real PDF mostly is
    assert verify(mailed(package().attached.xml_bytes, pdf=pdf)).ok


@pytest.mark.parametrize(
    "name", ["../evil.xml", "a/../../evil.xml", "/etc/evil.xml", "\\evil.xml", "C:/evil.xml",
             "..\\evil.xml"]
)
def test_paths_that_climb_or_are_absolute_are_refused(name: str) -> None:
    assert unsafe_name(name)
    data = zipped((name, b"<a/>"), ("ad.xml", package().attached.xml_bytes))
    refused(data, "rutas absolutas o con «..»")


@pytest.mark.parametrize("name", ["ad.xml", "carpeta/ad.xml", "a..b.xml", "fv..pdf"])
def test_ordinary_names_are_not_unsafe(name: str) -> None:
    assert not unsafe_name(name)


def test_a_zip_without_xml() -> None:
    refused(zipped(("factura.pdf", PDF), ("leeme.txt", b"hola")), "no trae ningún archivo XML")


def test_other_files_are_skipped() -> None:
    found = unpack(zipped(("ad.xml", b"<a/>"), ("firma.p7s", b"x"), ("fv.pdf", PDF)))
    assert [m.name for m in found.xml] == ["ad.xml"] and [m.name for m in found.pdf] == ["fv.pdf"]
    assert found.skipped == ["firma.p7s"]


@pytest.mark.parametrize(
    "data", [b"", b"hola", PDF, b"PK\x03\x04 no es un zip", bytes(range(256)) * 10],
    ids=["vacio", "texto", "pdf", "cabecera-zip", "binario"],
)
def test_what_is_neither_zip_nor_xml(data: bytes) -> None:
    verdict = verify(data)
    assert not verdict.ok and verdict.codes == ["adjunto"], verdict.reasons


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"<AttachedDocument><cbc:ID>", "no es un XML válido"),
        (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>', "DTD"),
        (b"<a/>", "no trae un AttachedDocument"),
    ],
    ids=["mal-formado", "dtd", "otra-raiz"],
)
def test_malformed_or_foreign_xml(data: bytes, words: str) -> None:
    for attachment in (data, zipped(("ad.xml", data))):
        verdict = verify(attachment)
        assert not verdict.ok and verdict.invoice is None
        assert words in " ".join(verdict.reasons), verdict.reasons


def test_a_malformed_invoice_inside_a_good_container() -> None:
    xml = package().attached.xml_bytes
    broken = xml.replace(b"<cbc:PayableAmount", b"<cbc:PayableAmount <", 1)
    verdict = verify(mailed(broken))
    assert verdict.codes == ["contenedor"] and "no es un XML válido" in verdict.reasons[0]


def test_one_nested_zip_is_opened_two_are_refused() -> None:
    inner = mailed(package().attached.xml_bytes)
    assert verify(zipped(("paquete.zip", inner))).ok
    refused(zipped(("a.zip", zipped(("b.zip", inner)))), "más de un nivel")


def test_too_many_members() -> None:
    members = [(f"{n}.xml", b"<a/>") for n in range(MAX_MEMBERS + 1)]
    refused(zipped(*members), f"más de {MAX_MEMBERS} archivos")


def test_a_corrupt_member_is_refused() -> None:
    data = bytearray(zipped(("ad.xml", package().attached.xml_bytes)))
    data[60:70] = b"\xff" * 10  # inside the deflated stream
    refused(bytes(data), "dañado")


def test_an_encrypted_member_is_refused() -> None:
    data = bytearray(zipped(("ad.xml", b"<a/>")))
    data[6] |= 1  # general purpose flag: encrypted
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 1
    with pytest.raises(UnsafeAttachment):
        unpack(bytes(data))
    refused(bytes(data), "dañado")


def test_truncated_and_flipped_packages_never_reach_the_last_guard() -> None:
    """Cut or damaged anywhere, the package fails with a reason of its own: the catch-all in
    verify_received (code "interno") is never what answers."""
    data = mailed(package().attached.xml_bytes)
    cuts = [verify(data[:n]) for n in range(0, len(data), max(1, len(data) // 40))]
    flips = []
    for position in range(0, len(data), max(1, len(data) // 40)):
        damaged = bytearray(data)
        damaged[position] ^= 0x55
        flips.append(verify(bytes(damaged)))
    for verdict in cuts + flips:
        assert "interno" not in verdict.codes, verdict.reasons
    assert not any(verdict.ok for verdict in cuts)
