"""What each DIAN rule code means for a shop owner: rule code -> (field to fix, Spanish text).

Facts from DIAN's technical annex and real answers (SPEC §4.7); LGS* codes belong to the
local sandbox and WSS* to the web-service security layer. The field is one of
`explanations.FIELDS`; the text says what is wrong and where in the app to change it.
"""

from __future__ import annotations

from loggro_app.dian.rules.explanation_event_texts import EVENT_TEXTS

_CONSECUTIVOS = "Configuración › Consecutivos de Facturación"
_ORGANIZACION = "Configuración › Organización"
_HABILITACION = "Habilitación DIAN"
_SOPORTE = "Si el problema sigue, escríbenos a soporte con el número del documento."

TEXTS: dict[str, tuple[str, str]] = {
    # -- duplicates and document-level checks -----------------------------------------
    "90": (
        "document",
        "La DIAN ya había recibido este mismo documento. No lo envíes otra vez: consulta su "
        "estado en Ventas. Si es un documento distinto, revisa que no repita el número.",
    ),
    "ZB01": (
        "document",
        f"El archivo no cumple el formato XML que exige la DIAN. {_SOPORTE}",
    ),
    "FAA02": (
        "document",
        f"Al documento le falta la sección de datos DIAN o la firma digital. {_SOPORTE}",
    ),
    "FAB03": (
        "document",
        f"El documento trae dos veces la sección de datos DIAN. {_SOPORTE}",
    ),
    "VLR01": (
        "line.price",
        "Hay un valor negativo (precio, cantidad, descuento o tarifa). Corrige la línea del "
        "documento para que todos los valores sean cero o positivos.",
    ),
    "CBF03a": (
        "document.reference",
        "El tipo de nota no corresponde a cómo se relaciona con la factura. Revisa el concepto "
        "de la nota y la factura que corrige.",
    ),
    # -- unique codes: CUFE / CUDE / CUDS ---------------------------------------------
    "FAD06": (
        "numbering",
        "El CUFE no coincide con los datos de la factura; casi siempre es una clave técnica "
        f"equivocada. Vuelve a consultar la resolución en {_CONSECUTIVOS} para traer la clave "
        "técnica correcta.",
    ),
    "CAD06": (
        "software",
        f"El CUDE de la nota crédito no coincide: revisa el PIN del software en {_HABILITACION}.",
    ),
    "DAD06": (
        "software",
        f"El CUDE de la nota débito no coincide: revisa el PIN del software en {_HABILITACION}.",
    ),
    "DSAD06": (
        "software",
        "El CUDS del documento soporte no coincide: revisa el PIN del software en "
        f"{_HABILITACION}.",
    ),
    "AAD06": (
        "software",
        f"El CUDE del evento no coincide: revisa el PIN del software en {_HABILITACION}.",
    ),
    # -- numbering resolution ---------------------------------------------------------
    "FAB05": (
        "numbering",
        f"Falta el número de la resolución de facturación. Complétalo en {_CONSECUTIVOS}.",
    ),
    "FAB05a": (
        "numbering",
        "La DIAN no encuentra la resolución de numeración usada. Revisa el número de "
        f"resolución en {_CONSECUTIVOS} o consulta de nuevo tus rangos.",
    ),
    "FAB05b": (
        "numbering",
        "La resolución no está asociada a este software. Asóciala en el portal de la DIAN y "
        f"luego consulta de nuevo tus rangos en {_CONSECUTIVOS}.",
    ),
    "FAB07a": (
        "numbering",
        "La factura tiene fecha anterior al inicio de la resolución. Usa una resolución "
        f"vigente en {_CONSECUTIVOS}.",
    ),
    "FAB07b": (
        "numbering",
        "La resolución de numeración está vencida. Pide una nueva a la DIAN y regístrala en "
        f"{_CONSECUTIVOS}.",
    ),
    "FAB10b": (
        "numbering",
        f"El prefijo no es el de la resolución autorizada. Corrige el prefijo en {_CONSECUTIVOS}.",
    ),
    "FAB15": (
        "numbering",
        f"Falta el rango autorizado (desde/hasta) de la resolución. Complétalo en {_CONSECUTIVOS}.",
    ),
    "FAD05b": (
        "numbering",
        "El número de la factura es menor que el rango autorizado. Revisa el consecutivo "
        f"inicial en {_CONSECUTIVOS}.",
    ),
    "FAD05c": (
        "numbering",
        "Se acabó el rango de numeración autorizado. Solicita una nueva resolución a la DIAN "
        f"y regístrala en {_CONSECUTIVOS}.",
    ),
    # -- software and enablement ------------------------------------------------------
    "FAB19b": (
        "software",
        f"El NIT del proveedor del software no está autorizado. Revísalo en {_HABILITACION}.",
    ),
    "FAB24b": (
        "software",
        "El identificador del software no está autorizado para tu empresa. Revisa el "
        f"identificador en {_HABILITACION}.",
    ),
    "FAB27b": (
        "software",
        f"El código de seguridad no es válido: revisa el PIN del software en {_HABILITACION}.",
    ),
    "FAB36": (
        "software",
        "El código QR no corresponde al ambiente (pruebas o producción) del documento. Revisa "
        f"el ambiente elegido en {_HABILITACION}.",
    ),
    # -- dates ------------------------------------------------------------------------
    "FAD09e": (
        "document.date",
        "La fecha de emisión no es la misma de la firma. Emite el documento con la fecha de "
        "hoy (hora de Colombia) y vuelve a enviarlo.",
    ),
    "AAD09e": (
        "document.date",
        "La fecha del evento no es la misma de la firma. Registra el evento con la fecha de "
        "hoy (hora de Colombia).",
    ),
    # -- issuer (our organization) ----------------------------------------------------
    "FAJ20": (
        "organization.name",
        f"Falta la razón social de tu empresa. Complétala en {_ORGANIZACION}.",
    ),
    "FAJ43b": (
        "organization.name",
        "El nombre de tu empresa no es igual al del RUT. Escríbelo exactamente como aparece en "
        f"el RUT en {_ORGANIZACION}.",
    ),
    "FAJ10": (
        "organization.address",
        "El departamento o municipio de la dirección no está en la lista de la DIAN. Elige el "
        f"municipio de la lista en {_ORGANIZACION}.",
    ),
    "FAL07": (
        "organization.identification",
        "Falta el dígito de verificación (DV) del NIT de tu empresa. Complétalo en "
        f"{_ORGANIZACION}.",
    ),
    # -- customer and supplier --------------------------------------------------------
    "FAK24": (
        "customer.identification",
        "El dígito de verificación (DV) no corresponde al NIT del cliente. Revisa el NIT y el "
        "DV del cliente en Contactos.",
    ),
    "FAK61": (
        "customer.identification",
        "El cliente es persona natural y no tiene número de documento. Complétalo en Contactos.",
    ),
    "DSAK24b": (
        "supplier.identification",
        "El dígito de verificación (DV) no corresponde al NIT del proveedor. Revisa el NIT y "
        "el DV del proveedor en Contactos.",
    ),
    "DSAK25": (
        "supplier.identification",
        "El tipo de documento del proveedor debe ser NIT cuando informa DV. Corrige el tipo de "
        "documento del proveedor en Contactos.",
    ),
    # -- lines, taxes, totals ---------------------------------------------------------
    "FAZ09": (
        "line.item",
        "Un producto no tiene código. Asigna un código a cada producto en Inventario.",
    ),
    "FAS01b": (
        "line.tax",
        "Los impuestos del documento no cuadran con los de las líneas. Revisa el impuesto de "
        f"cada producto en Inventario. {_SOPORTE}",
    ),
    "FAU02": (
        "document.totals",
        f"La suma de las líneas no coincide con el subtotal. {_SOPORTE}",
    ),
    "FAU04": (
        "line.tax",
        "La base gravable no coincide con las líneas que llevan impuesto. Revisa el impuesto de "
        f"cada producto en Inventario. {_SOPORTE}",
    ),
    "FAU06": (
        "document.totals",
        f"El total con impuestos no es el subtotal más los impuestos. {_SOPORTE}",
    ),
    "FAU14": (
        "document.totals",
        "El valor a pagar no cuadra con el total, los descuentos, los cargos y los anticipos. "
        "Revisa los descuentos y anticipos de la factura.",
    ),
    "DSFC01": (
        "line.date",
        "A una línea del documento soporte le falta la fecha de compra. Complétala en cada "
        "línea.",
    ),
    "DSFC03": (
        "document.currency",
        f"La moneda del documento soporte lleva datos que la DIAN no admite. {_SOPORTE}",
    ),
    # -- notes and events: the referenced document ------------------------------------
    "CAE02": (
        "document.period",
        "La nota crédito sin factura de referencia debe indicar el inicio del periodo que "
        "corrige. Completa la fecha inicial del periodo en la nota.",
    ),
    "CAE04": (
        "document.period",
        "La nota crédito sin factura de referencia debe indicar el fin del periodo que corrige. "
        "Completa la fecha final del periodo en la nota.",
    ),
    "AAH07": (
        "document.reference",
        "La factura del evento no existe en la DIAN. Revisa que la factura referenciada ya haya "
        "sido aceptada y que el CUFE sea el correcto.",
    ),
    "AAH10": (
        "event",
        "El reclamo debe decir el motivo (01 a 04). Elige el motivo del reclamo en el evento.",
    ),
    "LGC01": (
        "event",
        "Este evento ya estaba registrado para la factura. No hace falta enviarlo otra vez.",
    ),
    # -- signature and web-service security -------------------------------------------
    "ZE02": (
        "certificate",
        "La firma digital no es válida. Revisa que el certificado de tu empresa esté vigente y "
        f"vuelve a cargarlo en {_ORGANIZACION}.",
    ),
    "SIGNPLGNS": (
        "certificate",
        "La DIAN no pudo validar la firma digital. Revisa que el certificado sea de una "
        f"entidad acreditada (ONAC) y esté vigente, en {_ORGANIZACION}.",
    ),
    "WSS01": (
        "connection",
        f"La petición a la DIAN llegó incompleta o mal armada. Intenta de nuevo. {_SOPORTE}",
    ),
    "WSS02": (
        "certificate",
        "La DIAN no aceptó la firma de la conexión. Revisa el certificado y su contraseña en "
        f"{_ORGANIZACION}.",
    ),
    "WSS03": (
        "connection",
        "La hora de la petición está fuera del margen que acepta la DIAN. Revisa que la fecha y "
        "hora del servidor sean correctas e intenta de nuevo.",
    ),
    "WSS04": (
        "certificate",
        "El certificado de la conexión no es válido o está vencido. Carga un certificado "
        f"vigente en {_ORGANIZACION}.",
    ),
    "WSS05": (
        "connection",
        f"La petición a la DIAN no lleva la seguridad requerida. {_SOPORTE}",
    ),
    # -- local sandbox ----------------------------------------------------------------
    "LGS00": (
        "connection",
        "El servicio de pruebas no pudo atender la operación. Intenta de nuevo en unos minutos.",
    ),
    "LGS01": (
        "enablement",
        "Tu empresa no está registrada como facturador electrónico. Completa el registro en "
        f"{_HABILITACION}.",
    ),
    "LGS02": (
        "enablement",
        "Tu empresa no está habilitada con este software o modo de operación. Revisa el estado "
        f"en {_HABILITACION}.",
    ),
    "LGS03": (
        "document.date",
        "La fecha de emisión es posterior a hoy. Emite el documento con la fecha de hoy.",
    ),
    "LGS04": (
        "document",
        f"El archivo enviado no es un ZIP válido con un documento XML. {_SOPORTE}",
    ),
    "LGS05": (
        "document",
        "El ZIP trae más de un documento. Envía un solo documento por archivo.",
    ),
    "LGS06": (
        "connection",
        "La dirección del servicio de la DIAN está mal escrita. Revisa la URL configurada; "
        "debe terminar en /WcfDianCustomerServices.svc.",
    ),
    "LGS99": (
        "document",
        f"El documento no cumple una validación de la DIAN. {_SOPORTE}",
    ),
}
TEXTS.update(EVENT_TEXTS)  # the event rules (030-034) live in their own module
