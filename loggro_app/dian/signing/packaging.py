"""DIAN file names (annex §6.5.7/6.5.8, SPEC §4.5) and deterministic ZIP archives."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from loggro_app.core.errors import ValidationError

FILE_PREFIX = {
    "invoice": "fv",
    "credit_note": "nc",
    "debit_note": "nd",
    "support_document": "ds",
    "support_adjustment": "na",
    "application_response": "ar",
    "attached_document": "ad",
}
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # earliest ZIP date: same bytes for the same XML


@dataclass(frozen=True)
class FileNames:
    xml: str
    zip: str


def file_names(
    kind: str, *, nit: str, year: int, sequence: int, provider_code: str = "000"
) -> FileNames:
    """`{fv|nc|nd|ds|na|ar|ad}{NIT 10}{ppp}{aa}{consecutive 8 hex}.xml` and `z...zip`.

    `sequence` is the per-file-type consecutive of the year (1..0xFFFFFFFF), reset every
    1 January; provider code 000 = software propio.
    """
    if kind not in FILE_PREFIX:
        raise ValidationError({"tipo": f"tipo: '{kind}' no es un tipo de archivo DIAN."})
    if not nit.isdigit() or len(nit) > 10:
        raise ValidationError({"nit": "nit: el NIT (sin DV) debe tener hasta 10 dígitos."})
    if not 1 <= sequence <= 0xFFFFFFFF:
        raise ValidationError({"consecutivo": "consecutivo: debe estar entre 1 y FFFFFFFF."})
    if len(provider_code) != 3 or not provider_code.isdigit():
        raise ValidationError({"proveedor": "proveedor: el código del proveedor tiene 3 dígitos."})
    stem = f"{nit.zfill(10)}{provider_code}{year % 100:02d}{sequence:08x}"
    return FileNames(xml=f"{FILE_PREFIX[kind]}{stem}.xml", zip=f"z{stem}.zip")


def deterministic_zip(members: list[tuple[str, bytes]]) -> bytes:
    """DEFLATE zip with fixed timestamps and permissions: equal input, equal bytes."""
    buffer = io.BytesIO()
    # Level 1: twice as fast as the default for ~10% more bytes on a 20 KB invoice.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix, regardless of the host OS
            archive.writestr(info, data, compresslevel=1)
    return buffer.getvalue()
