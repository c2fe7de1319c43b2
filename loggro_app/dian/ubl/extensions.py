"""ext:UBLExtensions: DianExtensions first, then the signature slot (SPEC §2.3, §3.1)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from lxml import etree

from loggro_app.core import nit
from loggro_app.dian import codes
from loggro_app.dian.model.parties import Resolution, Software
from loggro_app.dian.xmlns import DS, cbc, dian_agency, ext, filled_block, sts

SIGNATURE_PLACEHOLDER_ID = "placeholder"  # signxml replaces <ds:Signature Id="placeholder"/>


def invoice_control(parent: etree._Element, resolution: Resolution) -> None:
    """InvoiceControl: resolution number, validity, authorised range (FAB05..FAB15)."""
    control = sts(parent, "InvoiceControl")
    sts(control, "InvoiceAuthorization", resolution.number)
    period = sts(control, "AuthorizationPeriod")
    cbc(period, "StartDate", resolution.valid_from.isoformat())
    cbc(period, "EndDate", resolution.valid_to.isoformat())
    authorized = sts(control, "AuthorizedInvoices")
    if resolution.prefix:
        sts(authorized, "Prefix", resolution.prefix)
    sts(authorized, "From", str(resolution.range_from))
    sts(authorized, "To", str(resolution.range_to))


def dian_extensions(
    parent: etree._Element,
    *,
    software: Software,
    security_code: str,
    qr: str,
    resolution: Resolution | None,
) -> None:
    """sts:DianExtensions in XSD order: InvoiceControl?, InvoiceSource, SoftwareProvider,
    SoftwareSecurityCode, AuthorizationProvider, QRCode (FAB03: exactly one group)."""
    build = partial(_dian_extensions, resolution=resolution, software=software)
    shape = (_dian_extensions, *_issuer_shape(resolution, software))
    filled_block(parent, shape, build, [security_code, qr])


def extensions(
    root: etree._Element,
    *,
    software: Software,
    security_code: str,
    qr: str,
    resolution: Resolution | None,
) -> None:
    """UBLExtensions: DianExtensions (`dian_extensions`), then the signature slot
    (`ubl_extensions`), copied whole from the issuer's template."""
    build = partial(_extensions, resolution=resolution, software=software)
    shape = (_extensions, *_issuer_shape(resolution, software))
    filled_block(root, shape, build, [security_code, qr])


def _issuer_shape(resolution: Resolution | None, software: Software) -> tuple[object, ...]:
    """Fixed per issuer (resolution, software) or for everyone, DianExtensions is copied
    with its two texts filled in (`filled_block`); its shape holds what is printed, not
    the technical key nor the PIN."""
    numbering = None
    if resolution is not None:
        numbering = (
            resolution.number,
            resolution.valid_from,
            resolution.valid_to,
            resolution.prefix,
            resolution.range_from,
            resolution.range_to,
        )
    return numbering, software.provider_nit, software.provider_dv, software.software_id


def _extensions(
    root: etree._Element,
    texts: Iterator[str],
    *,
    resolution: Resolution | None,
    software: Software,
) -> None:
    _dian_extensions(ubl_extensions(root), texts, resolution=resolution, software=software)


def _dian_extensions(
    parent: etree._Element,
    texts: Iterator[str],
    *,
    resolution: Resolution | None,
    software: Software,
) -> None:
    node = sts(parent, "DianExtensions")
    _issuer_blocks(node, resolution=resolution, software=software)
    sts(node, "SoftwareSecurityCode", next(texts), **dian_agency())
    _authorization_provider(node)
    sts(node, "QRCode", next(texts))


def _issuer_blocks(
    node: etree._Element, *, resolution: Resolution | None, software: Software
) -> None:
    """InvoiceControl?, InvoiceSource, SoftwareProvider."""
    if resolution is not None:
        invoice_control(node, resolution)
    source = sts(node, "InvoiceSource")
    cbc(
        source,
        "IdentificationCode",
        "CO",
        listAgencyID="6",
        listAgencyName="United Nations Economic Commission for Europe",
        listSchemeURI="urn:oasis:names:specification:ubl:codelist:gc:CountryIdentificationCode-2.1",
    )
    provider = sts(node, "SoftwareProvider")
    sts(
        provider,
        "ProviderID",
        software.provider_nit,
        **dian_agency(schemeID=str(software.provider_dv), schemeName=nit.NIT_TYPE),
    )
    sts(provider, "SoftwareID", software.software_id, **dian_agency())


def _authorization_provider(node: etree._Element) -> None:
    authority = sts(node, "AuthorizationProvider")
    sts(
        authority,
        "AuthorizationProviderID",
        codes.DIAN_NIT,
        **dian_agency(schemeID="4", schemeName=nit.NIT_TYPE),
    )


def ubl_extensions(root: etree._Element, *, with_dian: bool = True) -> etree._Element:
    """Return the DianExtensions parent; the last ExtensionContent holds the signature slot.

    AttachedDocument has a single UBLExtension holding only the signature (SPEC §3.1).
    """
    container = ext(root, "UBLExtensions")
    dian_content = None
    if with_dian:
        dian_content = ext(ext(container, "UBLExtension"), "ExtensionContent")
    signature_content = ext(ext(container, "UBLExtension"), "ExtensionContent")
    etree.SubElement(signature_content, f"{{{DS}}}Signature", Id=SIGNATURE_PLACEHOLDER_ID)
    return dian_content if dian_content is not None else signature_content
