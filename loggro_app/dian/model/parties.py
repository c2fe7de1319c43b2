"""Parties, addresses, numbering resolution and software registration (frozen, validated)."""

from __future__ import annotations

from dataclasses import dataclass, field

from loggro_app.core import nit, numbering
from loggro_app.core.nit import compute_dv
from loggro_app.dian import codes
from loggro_app.dian.model import checks


@dataclass(frozen=True)
class Address:
    """A postal address; Colombian ones carry a DIVIPOLA municipality (SPEC §2.6)."""

    street: str
    country_code: str = "CO"
    municipality_code: str | None = None  # 5-digit DIVIPOLA, required in Colombia
    postal_code: str | None = None  # 6-digit código postal
    city_name: str | None = None  # only for foreign addresses

    def __post_init__(self) -> None:
        checks.text("direccion", self.street, max_len=300)
        checks.one_of("pais", self.country_code, codes.countries(), "código de país ISO")
        if self.country_code == "CO":
            if self.municipality_code not in codes.municipalities():
                checks.fail(
                    "municipio",
                    f"municipio: '{self.municipality_code}' no es un código "
                    "DIVIPOLA de 5 dígitos de la lista de municipios DIAN (ej. 11001).",
                )
        else:
            checks.text("ciudad", self.city_name, max_len=100)
            if self.municipality_code is not None:
                checks.fail(
                    "municipio",
                    f"municipio: una dirección en el exterior ({self.country_code}) no lleva "
                    "código DIVIPOLA; informe solo país, ciudad (city_name) y dirección.",
                )
        if self.postal_code is not None:
            checks.digits("codigo_postal", self.postal_code, min_len=6, max_len=6)

    @property
    def is_colombian(self) -> bool:
        return self.country_code == "CO"

    @property
    def city(self) -> str:
        if self.municipality_code:
            return codes.municipalities()[self.municipality_code]
        return self.city_name or ""

    @property
    def department_code(self) -> str:
        return (self.municipality_code or "")[:2]

    @property
    def department(self) -> str:
        return codes.departments().get(self.department_code, "")

    @property
    def country_name(self) -> str:
        return codes.countries()[self.country_code]


@dataclass(frozen=True)
class Party:
    """Issuer, buyer or (documento soporte) seller."""

    name: str
    id_type: str  # "31" NIT, "13" cédula, ...
    id_number: str
    dv: int | None = None  # required (and checked) when id_type is "31"
    organization_type: str = "1"  # 1 persona jurídica, 2 persona natural
    responsibilities: tuple[str, ...] = ("R-99-PN",)
    tax_regime: str = "48"  # 48 responsable de IVA, 49 no responsable
    tax_scheme: str = "01"  # 01 IVA, 04 INC, ZA, ZZ
    address: Address | None = None
    email: str | None = None
    phone: str | None = None
    trade_name: str | None = None

    def __post_init__(self) -> None:
        checks.text("nombre", self.name, max_len=450)
        checks.one_of(
            "tipo_identificacion", self.id_type, nit.IDENTIFICATION_TYPES, "tipo de identificación"
        )
        if not self.id_number:
            checks.fail(
                "identificacion",
                "identificacion: el número de identificación (NIT o documento) es obligatorio.",
            )
        if self.id_type == nit.NIT_TYPE:
            checks.digits("identificacion", self.id_number, max_len=15)
            self._check_dv()
        else:
            checks.text("identificacion", self.id_number, max_len=20)
        checks.one_of(
            "tipo_organizacion",
            self.organization_type,
            codes.ORGANIZATION_TYPES,
            "tipo de organización (1 jurídica, 2 natural)",
        )
        if not self.responsibilities:
            checks.fail(
                "responsabilidades", "responsabilidades: informe al menos una (ej. R-99-PN)."
            )
        for code in self.responsibilities:
            checks.one_of(
                "responsabilidades",
                code,
                codes.RESPONSIBILITIES,
                "código de responsabilidad fiscal",
            )
        checks.one_of("regimen", self.tax_regime, codes.TAX_REGIMES, "régimen fiscal")
        checks.one_of("esquema_tributario", self.tax_scheme, codes.PARTY_TAX_SCHEMES, "tributo")
        checks.email("correo", self.email)
        checks.text("telefono", self.phone, required=False, max_len=50)
        checks.text("nombre_comercial", self.trade_name, required=False, max_len=450)

    def _check_dv(self) -> None:
        expected = compute_dv(self.id_number)
        if self.dv is None:
            checks.fail(
                "dv",
                f"dv: el dígito de verificación del NIT {self.id_number} es "
                f"obligatorio (regla FAL07); debería ser {expected}.",
            )
        if self.dv != expected:
            checks.fail(
                "dv",
                f"dv: el dígito de verificación {self.dv} no corresponde al NIT "
                f"{self.id_number}; debería ser {expected} (regla FAK24).",
            )

    @property
    def is_final_consumer(self) -> bool:
        return self.id_number == nit.FINAL_CONSUMER_ID


@dataclass(frozen=True)
class Resolution(numbering.Resolution):
    """DIAN numbering resolution (InvoiceControl) with its technical key (clave técnica):
    the numbering's resolution as a document carries it, validated for the XML."""

    technical_key: str = field(default="", repr=False)  # a secret: never printed; required

    def __post_init__(self) -> None:
        checks.digits("resolucion", self.number, max_len=20)
        checks.text("prefijo", self.prefix, required=False, max_len=4)
        if self.prefix and not self.prefix.isalnum():
            checks.fail("prefijo", "prefijo: solo letras y números (máximo 4).")
        if not 0 < self.range_from <= self.range_to:
            checks.fail("rango", "rango: el rango autorizado debe cumplir 0 < desde ≤ hasta.")
        if self.valid_from > self.valid_to:
            checks.fail("vigencia", "vigencia: la fecha inicial es posterior a la final.")
        checks.text("clave_tecnica", self.technical_key, max_len=100)


@dataclass(frozen=True)
class Software:
    """Software registration in the DIAN portal: provider NIT, software id and PIN."""

    provider_nit: str
    software_id: str
    pin: str = field(repr=False)  # a secret: never printed

    def __post_init__(self) -> None:
        checks.digits("proveedor_nit", self.provider_nit, max_len=15)
        checks.text("software_id", self.software_id, max_len=100)
        checks.text("pin", self.pin, max_len=50)

    @property
    def provider_dv(self) -> int:
        return compute_dv(self.provider_nit)
