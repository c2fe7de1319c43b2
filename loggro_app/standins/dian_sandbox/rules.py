"""Rule codes and the messages the sandbox answers with (SPEC §4.7).

DIAN codes are used where SPEC §4.7/§2.3 documents them; those marked [U] are the best
available guess at DIAN's code for that check. Codes starting with LGS are the sandbox's
own, for checks whose DIAN code is not documented in the sources (never mistake them for
DIAN's). Messages follow DIAN's wording style (Spanish, short).
"""

from __future__ import annotations

from loggro_app.standins.dian_sandbox.soap_out import Finding

MESSAGES = {
    "90": "Documento procesado anteriormente.",  # S11 ValidateDocumentDuplicity
    "FAD06": "Valor del CUFE no está calculado correctamente.",
    "CAD06": "Valor del CUDE no está calculado correctamente.",
    "DAD06": "Valor del CUDE no está calculado correctamente.",
    "DSAD06": "Valor del CUDS no está calculado correctamente.",
    "AAD06": "Valor del CUDE del evento no está calculado correctamente.",
    "FAD05b": "Número de documento es inferior al rango de numeración autorizado.",
    "FAD05c": "Número de documento es superior al rango de numeración autorizado.",
    "FAB05a": "No existe una resolución de numeración con el número informado.",
    "FAB05b": "No corresponde a un número de autorización de este contribuyente emisor "
    "para este Proveedor de Autorización (prefijo no asociado al software).",
    "FAB07a": "La fecha de emisión es anterior a la fecha inicial de la autorización.",
    "FAB07b": "La fecha de emisión es posterior a la fecha final de la autorización "
    "(resolución vencida).",
    "FAB10b": "El prefijo no corresponde al de la autorización de numeración.",  # [U]
    "FAB19b": "NIT del proveedor de software no autorizado por la DIAN.",  # [U]
    "FAB24b": "Identificador del software no autorizado para este emisor.",  # [U]
    "FAB27b": "El código de seguridad del software no es válido.",  # [U]
    "ZB01": "Fallo en el esquema XML del archivo.",  # [U]
    "ZE02": "Valor de la firma inválido.",
    "FAJ43b": "Nombre informado no corresponde al registrado en el RUT.",
    "AAH07": "El documento referenciado no existe en los registros de la DIAN.",  # [U]
    "LGS01": "El emisor no está registrado como facturador electrónico.",
    "LGS02": "El emisor no está habilitado para este modo de operación / software.",
    "LGS03": "La fecha de emisión es posterior a la fecha de recepción.",
    "LGS04": "El archivo ZIP no es válido o no contiene documentos XML.",
    "LGS05": "El archivo ZIP contiene más de un documento (use un documento por ZIP).",
    "LGS06": "La ruta del servicio no existe.",
    "AAH10": "El reclamo (031) debe informar su concepto (tabla 13.3.11).",  # SPEC §4.7
    "LGS07": "El evento no respeta el orden de la DIAN (030, 032, luego 031, 033 o 034).",
    "LGS08": "El emisor o el receptor del evento no son las partes de la factura.",
    "LGS09": "La aceptación tácita (034) procede pasados 3 días hábiles desde el recibo "
    "del bien o servicio (032).",
    "LGS10": "La aceptación tácita (034) no trae la declaración juramentada de la DIAN.",
    "LGS99": "El documento no cumple una validación de la DIAN.",
}
NOTIFICATIONS = {"FAJ43b", "FAL07", "FAJ10", "FAZ09", "AAH10"}


def finding(code: str, detail: str = "") -> Finding:
    """A Finding with DIAN's message for `code` (plus a detail when it helps)."""
    text = MESSAGES.get(code, MESSAGES["LGS99"])
    if detail:
        text = f"{text} {detail}"
    return Finding(code, text, blocking=code not in NOTIFICATIONS)
