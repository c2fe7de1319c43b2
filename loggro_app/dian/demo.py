"""The fixed demo issuer used by `examples/`, the tests and the future DIAN sandbox.

Resolution, prefix, range and technical key are the public habilitación test-set values
seen in many independent configurations (SPEC §1.2); the NIT is a made-up demo company.
Import these instead of repeating the literals.
"""

from __future__ import annotations

from datetime import date

from loggro_app.core.nit import compute_dv

ISSUER_NIT = "900123456"
ISSUER_DV = compute_dv(ISSUER_NIT)  # 8
ISSUER_NAME = "EMPRESA DEMO LOGGRO S.A.S."
ISSUER_MUNICIPALITY = "11001"  # Bogotá D.C.

RESOLUTION_NUMBER = "18760000001"
RESOLUTION_PREFIX = "SETP"
RESOLUTION_FROM = 990000000
RESOLUTION_TO = 995000000
RESOLUTION_VALID_FROM = date(2019, 1, 19)
RESOLUTION_VALID_TO = date(2030, 1, 19)
TECHNICAL_KEY = "fc8eac422eba16e22ffd8c6f94b3f40a6e38162c"

# Demo software registration (software propio: the provider is the issuer itself).
SOFTWARE_PROVIDER_NIT = ISSUER_NIT
SOFTWARE_ID = "9b1f4c52-6a0e-4b1e-9d7a-2f5c3e8a1d60"
SOFTWARE_PIN = "12345"

ENVIRONMENT = 2  # 2 = pruebas / habilitación

# Prefixes for document kinds that have no DIAN numbering resolution of their own here.
CREDIT_NOTE_PREFIX = "NC"
DEBIT_NOTE_PREFIX = "ND"
SUPPORT_ADJUSTMENT_PREFIX = "NA"

# Environment variable holding the demo certificate password in examples and docs.
P12_PASSWORD_ENV = "LOGGRO_P12_PASSWORD"
