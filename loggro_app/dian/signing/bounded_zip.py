"""Unzipping documents with a bound on the bytes actually inflated.

A zip's headers state each member's size, but nothing forces them to be true: a member
declaring 1 KB may inflate to gigabytes, and `ZipFile.read` decompresses a whole chunk
before checking the declared size. Members are read in small chunks and the total is
counted as it arrives.
"""

from __future__ import annotations

import io
import zipfile

CHUNK = 64 * 1024
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # far above any real invoice; far below a bomb


class ZipTooLarge(ValueError):
    """The archive inflates (or claims to) past the caller's bound."""


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """One member's bytes; ZipTooLarge past `limit`, zipfile.BadZipFile when they lie."""
    if info.file_size > limit:
        raise ZipTooLarge(f"{info.filename}: más de {limit} bytes")
    data = bytearray()
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK):
            data += chunk
            if len(data) > limit:
                raise ZipTooLarge(f"{info.filename}: más de {limit} bytes")
    return bytes(data)


def xml_members(raw: bytes, *, max_members: int, max_bytes: int) -> list[tuple[str, bytes]]:
    """(name, bytes) of the archive's XML members, at most `max_bytes` in all.

    Raises zipfile.BadZipFile (not a zip, or a member whose size or CRC does not match its
    header) and ZipTooLarge (too many members, or too many bytes).
    """
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        members = [i for i in archive.infolist() if i.filename.lower().endswith(".xml")]
        if len(members) > max_members:
            raise ZipTooLarge(f"más de {max_members} documentos")
        found, left = [], max_bytes
        for info in members:
            data = read_member(archive, info, left)
            left -= len(data)
            found.append((info.filename, data))
        return found
