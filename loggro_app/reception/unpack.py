"""Opening the attachment a supplier mailed: a ZIP (AttachedDocument + PDF) or a bare XML.

Everything in it is hostile until proven otherwise. The archive is refused as a whole when
it is built to hurt: more members than any invoice needs, more bytes than any invoice
weighs, a member that inflates far beyond its compressed size (a zip bomb), a path that
climbs out of the folder it would be extracted to, or archives nested more than one deep.
Bytes are counted as they inflate (`dian.read_member`): a zip's headers may lie.
Only XML and PDF members are kept; anything else a mail client adds is skipped.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from loggro_app.dian import MAX_DOCUMENT_BYTES, ZipTooLarge, read_member

MAX_TOTAL_BYTES = MAX_DOCUMENT_BYTES  # 20 MB inflated, all members of all levels together
MAX_MEMBERS = 64  # a real package holds 1-3 files
MAX_RATIO = 100  # inflated / compressed; signed XML deflates ~4-10x, a bomb ~1000x
RATIO_FLOOR = 1024 * 1024  # below 1 MB a high ratio harms nobody (a tiny repetitive XML)
MAX_NESTING = 1  # a ZIP inside the ZIP is tolerated, not deeper
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_BOM = b"\xef\xbb\xbf"
_DRIVE = re.compile(r"^[A-Za-z]:")


class UnsafeAttachment(ValueError):
    """The attachment is refused as a whole; the message says why, in Spanish."""


@dataclass(frozen=True)
class Member:
    name: str
    data: bytes


@dataclass
class Unpacked:
    """The XML and PDF files found, in archive order; `skipped` names what was left out."""

    xml: list[Member] = field(default_factory=list)
    pdf: list[Member] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(len(m.data) for m in self.xml + self.pdf)


def looks_like_xml(data: bytes) -> bool:
    return data.removeprefix(_BOM).lstrip()[:1] == b"<"


def unpack(data: bytes) -> Unpacked:
    """The package's XML and PDF members; UnsafeAttachment when it must not be opened."""
    if data.startswith(_ZIP_MAGIC):
        found = Unpacked()
        _open_zip(data, found, depth=0)
        return found
    if looks_like_xml(data):
        if len(data) > MAX_TOTAL_BYTES:
            raise UnsafeAttachment(f"El XML recibido pesa más de {_mb(MAX_TOTAL_BYTES)}.")
        return Unpacked(xml=[Member("documento.xml", data)])
    raise UnsafeAttachment("El adjunto no es un ZIP ni un XML.")


def _mb(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


def unsafe_name(name: str) -> bool:
    """Absolute, drive-qualified or climbing paths (`..`), with either slash."""
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or bool(_DRIVE.match(name)) or ".." in parts


def _open_zip(data: bytes, found: Unpacked, *, depth: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _read_members(archive, found, depth=depth)
    except UnsafeAttachment:
        raise
    except ZipTooLarge as exc:
        raise UnsafeAttachment(f"El ZIP es demasiado grande al descomprimirlo ({exc}).") from exc
    # What a corrupt or exotic archive raises: bad headers or CRC, truncated streams,
    # encrypted members (RuntimeError), unsupported methods (NotImplementedError).
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            RuntimeError, NotImplementedError, ValueError) as exc:
        raise UnsafeAttachment(f"El ZIP está dañado o no se puede leer: {exc}") from exc


def _read_members(archive: zipfile.ZipFile, found: Unpacked, *, depth: int) -> None:
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_MEMBERS:
        raise UnsafeAttachment(f"El ZIP trae más de {MAX_MEMBERS} archivos.")
    bad = [i.filename for i in infos if unsafe_name(i.filename)]
    if bad:
        raise UnsafeAttachment(f"El ZIP trae rutas absolutas o con «..»: {', '.join(bad[:3])}.")
    declared = sum(i.file_size for i in infos)
    if declared + found.size > MAX_TOTAL_BYTES:
        raise UnsafeAttachment(f"El ZIP ocupa más de {_mb(MAX_TOTAL_BYTES)} descomprimido.")
    for info in infos:
        lower = info.filename.lower()
        nested = lower.endswith(".zip")
        if not (nested or lower.endswith((".xml", ".pdf"))):
            found.skipped.append(info.filename)
            continue
        if nested and depth >= MAX_NESTING:
            raise UnsafeAttachment("El ZIP trae archivos comprimidos dentro de otros (más de "
                                   "un nivel).")
        payload = _inflate(archive, info, left=MAX_TOTAL_BYTES - found.size)
        if nested:
            _open_zip(payload, found, depth=depth + 1)
        elif lower.endswith(".xml"):
            found.xml.append(Member(info.filename, payload))
        else:
            found.pdf.append(Member(info.filename, payload))


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, left: int) -> bytes:
    """The member's bytes, stopped as soon as they pass the total left or the ratio bound."""
    by_ratio = max(RATIO_FLOOR, MAX_RATIO * info.compress_size)
    try:
        return read_member(archive, info, min(left, by_ratio))
    except ZipTooLarge as exc:
        if by_ratio < left:
            raise UnsafeAttachment(
                f"«{info.filename}» se infla más de {MAX_RATIO} veces su tamaño comprimido "
                "(posible bomba ZIP)."
            ) from exc
        raise UnsafeAttachment(
            f"El ZIP ocupa más de {_mb(MAX_TOTAL_BYTES)} descomprimido."
        ) from exc
