"""XSD validation against the vendored UBL 2.1 + DIAN schemas, compiled once per thread,
and the one deviation tolerated: DIAN's own ApplicationResponse has no sts:QRCode.

lxml validators keep their error log on the instance, so one compiled schema is kept per
thread (compiling takes ~0.15 s; validating a 5-line invoice ~0.1 ms).
"""

from __future__ import annotations

import threading
from copy import deepcopy
from importlib import resources

from lxml import etree

from loggro_app.dian.codes import DIAN_NIT
from loggro_app.dian.xmlns import STS, XPATH_NS

_DRIVER = "loggro-all.xsd"  # imports every maindoc schema + DIAN_UBL_Structures
_local = threading.local()


def _compile() -> etree.XMLSchema:
    # The driver sits beside the maindoc schemas so relative imports resolve; lxml needs a
    # real file path for that, which `as_file` guarantees even from a zipped install.
    ref = resources.files("loggro_app.dian") / "data" / "xsd" / "maindoc" / _DRIVER
    with resources.as_file(ref) as path:
        return etree.XMLSchema(etree.parse(str(path)))


def schema() -> etree.XMLSchema:
    """This thread's compiled schema; it validates all five document roots."""
    compiled = getattr(_local, "schema", None)
    if compiled is None:
        compiled = _local.schema = _compile()
    return compiled


def xsd_errors(root: etree._Element) -> list[str]:
    """Schema violations (libxml2 messages), empty when the document is valid."""
    compiled = schema()
    if compiled.validate(root):
        return []
    # Trees built in memory have no line numbers (0): then the message alone is clearer.
    return [
        f"línea {e.line}: {e.message}" if e.line else e.message
        for e in compiled.error_log  # type: ignore[attr-defined]
    ]


def _dian_issued_response(root: etree._Element) -> bool:
    """An ApplicationResponse whose sender (issuer) is DIAN itself, NIT 800197268."""
    if etree.QName(root).localname != "ApplicationResponse":
        return False
    sender = root.xpath(
        "string(cac:SenderParty/cac:PartyTaxScheme/cbc:CompanyID)", namespaces=XPATH_NS
    )
    return str(sender).strip() == DIAN_NIT


def only_missing_qr_code(root: etree._Element) -> bool:
    """True when DIAN's own ApplicationResponse fails the schema only for lacking QRCode.

    The DIAN XSD requires sts:QRCode in every DianExtensions, yet the responses DIAN signs
    itself carry none; a document DIAN signed wins over the schema. Rather than parse
    libxml2's wording, a copy gets a placeholder QRCode (where the schema wants it, after
    AuthorizationProvider) and must then validate.
    """
    if not _dian_issued_response(root):
        return False
    copy = deepcopy(root)
    extensions = copy.xpath("//sts:DianExtensions[not(sts:QRCode)]", namespaces=XPATH_NS)
    if not extensions:
        return False
    for node in extensions:
        after = node.xpath("sts:AuthorizationProvider", namespaces=XPATH_NS)
        placeholder = etree.Element(f"{{{STS}}}QRCode")
        placeholder.text = "https://catalogo-vpfe.dian.gov.co"
        if after:
            after[0].addnext(placeholder)
        else:
            node.append(placeholder)
    return bool(schema().validate(copy))
