"""Plain-Spanish explanations of the sandbox's RADIAN event rules (030-034), kept apart
from `explanation_texts` so each module stays small; merged into its TEXTS."""

from __future__ import annotations

EVENT_TEXTS: dict[str, tuple[str, str]] = {
    "LGS07": (
        "document.reference",
        "Los eventos de una factura van en orden: acuse de recibo (030), recibo del bien o "
        "servicio (032) y luego aceptación expresa (033), reclamo (031) o aceptación tácita "
        "(034), cada uno una sola vez.",
    ),
    "LGS08": (
        "document.reference",
        "El comprador envía los eventos 030 a 033 al emisor, y el emisor la aceptación "
        "tácita (034) al comprador: revisa las partes del evento.",
    ),
    "LGS09": (
        "document.reference",
        "La aceptación tácita solo se registra cuando pasaron 3 días hábiles desde el recibo "
        "del bien o servicio (032) sin aceptación ni reclamo del comprador.",
    ),
    "LGS10": (
        "document.reference",
        "La aceptación tácita lleva en su nota la declaración juramentada de la DIAN con el "
        "número y el CUDE del recibo del bien o servicio (032).",
    ),
}
