"""Admin operations on the sandbox registry (used by the JSON API and the CLI) and the
demo seed, so `send` of any `examples/` document is accepted out of the box."""

from __future__ import annotations

import json
import secrets
import sqlite3
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from loggro_app.core.clock import BOGOTA, Clock
from loggro_app.core.nit import compute_dv
from loggro_app.dian import demo
from loggro_app.standins.dian_sandbox.store import Store

ASSOCIATION_DELAY = timedelta(hours=2)  # a new resolution is associable 2 h after issue
DEFAULT_TEST_SET = {"01": 30, "91": 10, "92": 10}  # SPEC §5: current portal (50 documents)
DEMO_BUYER = (
    "31",
    "800199436",
    "Comercializadora Andina & Cía <Ltda>",
    "recepcion@andina.example.co",
)


class AdminError(Exception):
    """A refused admin action; `status` is the HTTP status for the JSON API."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class OffsetClock:
    """The wall clock moved by an admin-set offset (2-hour rule, legal terms)."""

    def __init__(self, base: Clock, offset: timedelta = timedelta(0)) -> None:
        self.base = base
        self.offset = offset

    def __call__(self) -> datetime:
        return self.base() + self.offset


def taxpayer_offset(store: Store, nit: str) -> timedelta:
    """How far one taxpayer's portal clock runs ahead of the sandbox's."""
    stored = store.get_meta(f"clock_offset:{nit}")
    return timedelta(seconds=float(stored)) if stored is not None else timedelta(0)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _nit(value: object) -> str:
    text = str(value or "")
    if not text.isdigit() or len(text) > 10:
        raise AdminError("nit: solo dígitos, sin DV (máximo 10).")
    return text


class Admin:
    def __init__(self, store: Store, clock: OffsetClock) -> None:
        self.store = store
        self.clock = clock
        stored = store.get_meta("clock_offset")
        if stored is not None:
            clock.offset = timedelta(seconds=float(stored))

    def _write(self, sql: str, *args: Any) -> None:
        try:
            self.store.run(sql, *args)
        except sqlite3.IntegrityError as exc:
            raise AdminError(f"ya existe: {exc}", 409) from None

    def create_taxpayer(self, nit: str, name: str, enabled: bool = False) -> dict[str, Any]:
        self._write(
            "INSERT INTO taxpayers VALUES (?, ?, ?, ?)",
            _nit(nit),
            name,
            int(enabled),
            _iso(self.clock()),
        )
        return self.taxpayer(nit)

    def taxpayer(self, nit: str) -> dict[str, Any]:
        row = self.store.taxpayer(nit)
        if row is None:
            raise AdminError(f"contribuyente {nit} no existe.", 404)
        modes = self.store.all("SELECT software_id, state FROM modes WHERE nit = ?", nit)
        # What DIAN's portal lists for the taxpayer, so the app can show it again later
        # (the shared habilitación numbering is not the taxpayer's own resolution).
        resolutions = self.store.all(
            "SELECT number, prefix, range_from, range_to, valid_from, valid_to, issued_at "
            "FROM resolutions WHERE nit = ? AND number != ? ORDER BY issued_at DESC",
            nit, demo.RESOLUTION_NUMBER)
        test_sets = self.store.all(
            "SELECT test_set_id, state, created_at FROM test_sets WHERE nit = ? "
            "ORDER BY created_at DESC", nit)
        return {
            "nit": nit,
            "dv": compute_dv(nit),
            "name": row["name"],
            "habilitado": bool(row["enabled"]),
            "modes": [dict(m) for m in modes],
            "resolutions": [dict(r) for r in resolutions],
            "test_sets": [dict(t) for t in test_sets],
        }

    def create_software(
        self,
        nit: str,
        software_id: str,
        pin: str,
        provider_nit: str = "",
        name: str = "",
        state: str = "en pruebas",
    ) -> dict[str, Any]:
        """Register a software (if new) and an operation mode of `nit` using it."""
        if self.store.taxpayer(nit) is None:
            raise AdminError(f"contribuyente {nit} no existe.", 404)
        if self.store.software(software_id) is None:
            self._write(
                "INSERT INTO software VALUES (?, ?, ?, ?)",
                software_id,
                pin,
                _nit(provider_nit or nit),
                name or "Software propio",
            )
        if state not in ("en pruebas", "Aceptado"):
            raise AdminError("state: 'en pruebas' o 'Aceptado'.")
        self.store.run("INSERT OR REPLACE INTO modes VALUES (?, ?, ?)", nit, software_id, state)
        return self.taxpayer(nit)

    def issue_resolution(
        self,
        nit: str,
        number: str,
        prefix: str,
        range_from: int,
        range_to: int,
        valid_from: str,
        valid_to: str,
        technical_key: str = "",
        issued_at: str = "",
    ) -> dict[str, Any]:
        if self.store.taxpayer(nit) is None:
            raise AdminError(f"contribuyente {nit} no existe.", 404)
        date.fromisoformat(valid_from), date.fromisoformat(valid_to)
        key = technical_key or secrets.token_hex(20)
        when = issued_at or _iso(self.now_for(nit))
        self._write(
            "INSERT INTO resolutions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            number,
            nit,
            prefix,
            int(range_from),
            int(range_to),
            valid_from,
            valid_to,
            key,
            when,
        )
        return {"number": number, "prefix": prefix, "technical_key": key, "issued_at": when}

    def associate(self, nit: str, prefix: str, software_id: str, resolution: str) -> dict[str, str]:
        """Refused earlier than 2 hours after the resolution was issued (DIAN portal rule)."""
        row = self.store.resolution(nit, resolution, prefix)
        if row is None:
            raise AdminError("resolución/prefijo no existe para ese contribuyente.", 404)
        if self.store.mode(nit, software_id) is None:
            raise AdminError("el software no es un modo de operación del contribuyente.", 404)
        ready = datetime.fromisoformat(row["issued_at"]) + ASSOCIATION_DELAY
        if self.now_for(nit) < ready:
            raise AdminError(
                "No se puede asociar el prefijo antes de 2 horas desde la expedición de la "
                f"resolución (disponible desde {ready.astimezone(BOGOTA).isoformat()}).",
                409,
            )
        self.store.run(
            "INSERT OR REPLACE INTO associations VALUES (?, ?, ?, ?, ?)",
            nit,
            prefix,
            software_id,
            resolution,
            _iso(self.now_for(nit)),
        )
        return {"nit": nit, "prefix": prefix, "software_id": software_id}

    def create_test_set(
        self,
        nit: str,
        software_id: str,
        required: dict[str, int] | None = None,
        test_set_id: str = "",
    ) -> dict[str, Any]:
        """A TestSetId for the mode; the shared habilitación numbering (SETP) comes with it."""
        if self.store.mode(nit, software_id) is None:
            raise AdminError("el software no es un modo de operación del contribuyente.", 404)
        set_id = test_set_id or _guid()
        self._write(
            "INSERT INTO test_sets VALUES (?, ?, ?, ?, '{}', 0, 0, 'En proceso', ?)",
            set_id,
            nit,
            software_id,
            json.dumps(required or DEFAULT_TEST_SET),
            _iso(self.clock()),
        )
        if self.store.resolution(nit, demo.RESOLUTION_NUMBER, demo.RESOLUTION_PREFIX) is None:
            self._habilitacion_numbering(nit)
        self.store.run(
            "INSERT OR IGNORE INTO associations VALUES (?, ?, ?, ?, ?)",
            nit,
            demo.RESOLUTION_PREFIX,
            software_id,
            demo.RESOLUTION_NUMBER,
            "2019-01-19T05:00:00+00:00",
        )
        return self.test_set(set_id)

    def _habilitacion_numbering(self, nit: str) -> None:
        self.issue_resolution(
            nit,
            demo.RESOLUTION_NUMBER,
            demo.RESOLUTION_PREFIX,
            demo.RESOLUTION_FROM,
            demo.RESOLUTION_TO,
            demo.RESOLUTION_VALID_FROM.isoformat(),
            demo.RESOLUTION_VALID_TO.isoformat(),
            demo.TECHNICAL_KEY,
            "2019-01-19T05:00:00+00:00",
        )

    def test_set(self, test_set_id: str) -> dict[str, Any]:
        row = self.store.test_set(test_set_id)
        if row is None:
            raise AdminError(f"set de pruebas {test_set_id} no existe.", 404)
        return {
            "test_set_id": test_set_id,
            "nit": row["nit"],
            "software_id": row["software_id"],
            "required": json.loads(row["required"]),
            "accepted": json.loads(row["accepted"]),
            "received": row["received"],
            "rejected": row["rejected"],
            "state": row["state"],
        }

    def register_acquirer(
        self, id_type: str, id_number: str, name: str, email: str
    ) -> dict[str, str]:
        self.store.run(
            "INSERT OR REPLACE INTO acquirers VALUES (?, ?, ?, ?)", id_type, id_number, name, email
        )
        return {"id_type": id_type, "id_number": id_number, "name": name, "email": email}

    def set_clock(
        self, offset_seconds: float | None = None, advance_seconds: float = 0, nit: str = ""
    ) -> dict[str, Any]:
        """Move the whole sandbox's clock, or with `nit` only that taxpayer's portal clock.

        Many organizations share one sandbox: "wait 2 hours" for one of them must not
        shorten the 2-hour rule for the others.
        """
        if nit:
            offset = self._taxpayer_offset(_nit(nit))
            if offset_seconds is not None:
                offset = timedelta(seconds=float(offset_seconds))
            offset += timedelta(seconds=float(advance_seconds))
            self.store.set_meta(f"clock_offset:{nit}", str(offset.total_seconds()))
            return self.clock_state(nit)
        if offset_seconds is not None:
            self.clock.offset = timedelta(seconds=float(offset_seconds))
        self.clock.offset += timedelta(seconds=float(advance_seconds))
        self.store.set_meta("clock_offset", str(self.clock.offset.total_seconds()))
        return self.clock_state()

    def _taxpayer_offset(self, nit: str) -> timedelta:
        return taxpayer_offset(self.store, nit)

    def now_for(self, nit: str) -> datetime:
        """The portal's time as one taxpayer sees it: the sandbox clock plus its own offset."""
        return self.clock() + self._taxpayer_offset(nit)

    def clock_state(self, nit: str = "") -> dict[str, Any]:
        own = self._taxpayer_offset(_nit(nit)) if nit else timedelta(0)
        return {
            "offset_seconds": (self.clock.offset + own).total_seconds(),
            "now": (self.clock() + own).astimezone(BOGOTA).isoformat(),
        }

    def seed_demo(self) -> None:
        """The demo organization of `examples/` (loggro_app/dian/demo.py), habilitado."""
        if self.store.taxpayer(demo.ISSUER_NIT) is not None:
            return
        self.create_taxpayer(demo.ISSUER_NIT, demo.ISSUER_NAME, enabled=True)
        self.create_software(
            demo.ISSUER_NIT,
            demo.SOFTWARE_ID,
            demo.SOFTWARE_PIN,
            demo.SOFTWARE_PROVIDER_NIT,
            "Loggro (demo)",
            "Aceptado",
        )
        self._habilitacion_numbering(demo.ISSUER_NIT)
        self.associate(
            demo.ISSUER_NIT, demo.RESOLUTION_PREFIX, demo.SOFTWARE_ID, demo.RESOLUTION_NUMBER
        )
        self.register_acquirer(*DEMO_BUYER)


def _guid() -> str:
    return str(uuid.uuid4())  # TestSetIds are GUIDs (36 chars, SPEC §5)
