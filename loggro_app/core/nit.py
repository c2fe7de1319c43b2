"""NIT check digits (DV) and identification numbers of DIAN's identification types (pure).

The DV is DIAN's modulo-11 check digit (weights 3, 7, 13, ... 71 from the rightmost digit),
computed by python-stdnum's `stdnum.co.nit`; this module wraps it with the project's Spanish
messages. DIAN rejects a document whose party NIT and DV disagree, so a wrong pair must never
leave a form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.co import nit as stdnum_nit

from loggro_app.core.errors import ValidationError

NIT_MIN_LENGTH = 3  # old cédulas used as NIT of natural persons are very short
NIT_MAX_LENGTH = 15  # DIAN's DV weights cover up to 15 digits
_SEPARATORS = re.compile(r"[\s.\-]")

NIT_TYPE = "31"  # identification type of a NIT
# DIAN's generic buyer for sales to an unidentified person (*consumidor final*): a cédula
# (type 13) of twelve 2s, longer than any real cédula.
FINAL_CONSUMER_ID = "222222222222"

# DIAN's TipoIdFiscal list (TipoIdFiscal-2.1.gc, labels trimmed). 47 and 48 are not in that
# 2019 genericode file; later versions of the annex (1.9) list them, for migrants' permits.
IDENTIFICATION_TYPES: dict[str, str] = {
    "11": "Registro civil",
    "12": "Tarjeta de identidad",
    "13": "Cédula de ciudadanía",
    "21": "Tarjeta de extranjería",
    "22": "Cédula de extranjería",
    "31": "NIT",
    "41": "Pasaporte",
    "42": "Documento de identificación extranjero",
    "47": "PEP (Permiso Especial de Permanencia)",
    "48": "PPT (Permiso por Protección Temporal)",
    "50": "NIT de otro país",
    "91": "NUIP",
}

# The abbreviations users and other systems (the PMS among them) use for those codes.
IDENTIFICATION_ALIASES: dict[str, str] = {
    "RC": "11",
    "TI": "12",
    "CC": "13",
    "TE": "21",
    "CE": "22",
    "NIT": "31",
    "PA": "41",
    "DE": "42",
    "PEP": "47",
    "PPT": "48",
    "NIT_OTRO_PAIS": "50",
    "NUIP": "91",
}


@dataclass(frozen=True)
class _NumberRule:
    alphanumeric: bool  # foreign documents carry letters; Colombian ones only digits
    min_length: int
    max_length: int


# Colombian documents are numeric (cédulas up to 10 digits, NUIP/TI/RC up to 11); foreign
# ones are free-form, so only their character set and a sane length are checked.
_NUMBER_RULES: dict[str, _NumberRule] = {
    "11": _NumberRule(False, 3, 11),
    "12": _NumberRule(False, 3, 11),
    "13": _NumberRule(False, 3, 10),
    "21": _NumberRule(True, 3, 20),
    "22": _NumberRule(True, 3, 20),
    "31": _NumberRule(False, NIT_MIN_LENGTH, NIT_MAX_LENGTH),
    "41": _NumberRule(True, 3, 20),
    "42": _NumberRule(True, 3, 20),
    "47": _NumberRule(False, 3, 20),
    "48": _NumberRule(False, 3, 20),
    "50": _NumberRule(True, 3, 20),
    "91": _NumberRule(False, 3, 11),
}


def compute_dv(nit: str) -> int:
    """DIAN's check digit of a NIT given as digits only (no DV, no separators)."""
    if not nit.isdigit() or not nit.isascii() or len(nit) > NIT_MAX_LENGTH:
        raise ValueError(f"compute_dv needs 1 to {NIT_MAX_LENGTH} ASCII digits, got {nit!r}")
    return int(stdnum_nit.calc_check_digit(nit))


def dv_matches(nit: str, dv: int | str) -> bool:
    """True when `dv` is the check digit of `nit` (digits only); malformed input is False."""
    try:
        return compute_dv(nit) == int(dv)
    except ValueError:
        return False


def _clean_number(text: str, field: str, label: str, rule: _NumberRule) -> str:
    cleaned = _SEPARATORS.sub("", text).upper()
    if not cleaned:
        raise ValidationError({field: f"Escribe el número de {label}."})
    allowed = r"[0-9A-Z]" if rule.alphanumeric else r"[0-9]"
    wrong = sorted(set(re.sub(allowed, "", cleaned)))
    if wrong or not cleaned.isascii():
        kind = "letras y dígitos" if rule.alphanumeric else "dígitos"
        shown = "".join(wrong) or cleaned
        raise ValidationError(
            {field: f"El número de {label} solo puede tener {kind}; «{text}» tiene «{shown}»."}
        )
    if not rule.min_length <= len(cleaned) <= rule.max_length:
        unit = "caracteres" if rule.alphanumeric else "dígitos"
        raise ValidationError(
            {
                field: f"El número de {label} debe tener entre {rule.min_length} y "
                f"{rule.max_length} {unit}; «{text}» tiene {len(cleaned)}."
            }
        )
    return cleaned


def _split_embedded_dv(nit: str, dv: str | int | None) -> tuple[str, str | None]:
    """'900.123.456-8' carries its DV after the last dash; an explicit `dv` must agree."""
    given = None if dv is None else str(dv).strip()
    number, dash, tail = nit.strip().rpartition("-")
    if not dash or not tail.strip().isdigit() or len(tail.strip()) != 1:
        return nit, given or None
    if given and given != tail.strip():
        raise ValidationError(
            {
                "dv": f"El NIT «{nit}» trae el dígito de verificación {tail.strip()}, "
                f"pero se indicó {given}."
            }
        )
    return number, tail.strip()


def validate_nit(nit: str, dv: str | int | None = None) -> tuple[str, int]:
    """(digits, DV) of a NIT written with or without separators; raises on any mismatch.

    Without a DV (neither `dv` nor a "-D" suffix) the correct one is computed and returned.
    """
    number, given = _split_embedded_dv(str(nit), dv)
    rule = _NUMBER_RULES[NIT_TYPE]
    digits = _clean_number(number, "nit", "NIT", rule)
    expected = compute_dv(digits)
    if given is None:
        return digits, expected
    if not re.fullmatch(r"[0-9]", given):
        raise ValidationError(
            {"dv": f"El dígito de verificación es un solo dígito (0 a 9); «{given}» no lo es."}
        )
    if int(given) != expected:
        raise ValidationError(
            {"dv": f"El dígito de verificación de {digits} es {expected}, no {given}."}
        )
    return digits, expected


def identification_type(kind: str) -> str:
    """DIAN's code ('13') for a code or an alias ('CC', 'cc', ' 13 ')."""
    cleaned = str(kind).strip().upper()
    code = IDENTIFICATION_ALIASES.get(cleaned, cleaned)
    if code not in IDENTIFICATION_TYPES:
        raise ValidationError(
            {"identification_type": f"«{kind}» no es un tipo de identificación de la DIAN."}
        )
    return code


def normalize_identification(kind: str, number: str) -> str:
    """The identification number as DIAN expects it: no separators, letters in capitals.

    For a NIT, a trailing "-DV" is verified and dropped (the DV travels in its own field).
    """
    code = identification_type(kind)
    label = IDENTIFICATION_TYPES[code].lower() if code != NIT_TYPE else "NIT"
    if code == NIT_TYPE:
        try:
            return validate_nit(str(number))[0]
        except ValidationError as error:
            raise ValidationError({"identification_number": error.message}) from error
    if code == "13" and _SEPARATORS.sub("", str(number)) == FINAL_CONSUMER_ID:
        return FINAL_CONSUMER_ID
    return _clean_number(str(number), "identification_number", label, _NUMBER_RULES[code])
