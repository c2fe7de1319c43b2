"""Receiving documents: unzip, validate, answer like DIAN, remember, count test sets."""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
import zipfile
from datetime import UTC

from lxml import etree

from loggro_app.core.clock import Clock, bogota_now
from loggro_app.dian.rules.untrusted_xml import RefusedXml
from loggro_app.dian.signing.bounded_zip import MAX_DOCUMENT_BYTES, xml_members
from loggro_app.dian.signing.signer import Signer
from loggro_app.standins.dian_sandbox import identity
from loggro_app.standins.dian_sandbox.rules import finding
from loggro_app.standins.dian_sandbox.soap_out import Answer, Finding
from loggro_app.standins.dian_sandbox.store import Store
from loggro_app.standins.dian_sandbox.validate import (
    TEST_SET_KIND,
    Facts,
    check_document,
    duplicate,
    read_facts,
)

MAX_ZIP_MEMBERS = 50  # SendBillAsync limit (SPEC §4.5)
MAX_ZIP_BYTES = MAX_DOCUMENT_BYTES
REJECTED = ("99", "Validación contiene errores en campos mandatorios.")


def unzip(content_b64: str) -> list[tuple[str, bytes]] | None:
    """XML members of the base64 ZIP, or None when it is not a readable ZIP."""
    try:
        raw = base64.b64decode(content_b64, validate=True)
        members = xml_members(raw, max_members=MAX_ZIP_MEMBERS, max_bytes=MAX_ZIP_BYTES)
    except (binascii.Error, zipfile.BadZipFile, ValueError):  # ZipTooLarge is a ValueError
        return None
    return members or None


def rejected(findings: list[Finding], *, key: str = "", name: str = "") -> Answer:
    return Answer(
        is_valid=False,
        status_code=REJECTED[0],
        description=REJECTED[1],
        message="Documento con errores en campos mandatorios.",
        lines=[f.line() for f in findings],
        document_key=key,
        file_name=name,
    )


class Receiver:
    def __init__(self, store: Store, *, clock: Clock, dian: Signer) -> None:
        self.store = store
        self.clock = clock
        self.dian = dian

    def receive(self, name: str, xml: bytes, *, zip_key: str = "", test_set: str = "") -> Answer:
        stem = name.rsplit("/", 1)[-1].removesuffix(".xml")
        try:
            facts = read_facts(xml)
        except (etree.XMLSyntaxError, RefusedXml) as exc:
            return self.remember(rejected([finding("ZB01", str(exc))], name=stem), zip_key)
        dup = duplicate(self.store, facts)
        if dup is not None:
            return self.remember(rejected([dup], key=facts.uuid, name=stem), zip_key, test_set)
        today = bogota_now(self.clock).date()
        findings = check_document(self.store, xml, facts, today=today, test_set=bool(test_set))
        if any(f.blocking for f in findings):
            return self.remember(
                rejected(findings, key=facts.uuid, name=stem), zip_key, test_set, facts
            )
        answer = self._accepted(facts, findings, stem)
        return self._store_accepted(answer, facts, xml, zip_key, test_set)

    def _accepted(self, facts: Facts, findings: list[Finding], stem: str) -> Answer:
        notes = [f.line() for f in findings]
        ar = identity.application_response(
            signer=self.dian,
            clock=self.clock,
            document_key=facts.uuid,
            document_number=facts.number,
            document_type=facts.type_code,
            issuer_nit=facts.issuer_nit,
            issuer_name=facts.issuer_name,
            environment=facts.environment,
            notifications=notes,
        )
        return Answer(
            is_valid=True,
            status_code="00",
            description="Procesado Correctamente.",
            message=facts.authorized_message(),
            lines=notes,
            document_key=facts.uuid,
            file_name=stem,
            application_response=base64.b64encode(ar).decode(),
        )

    def _store_accepted(
        self, answer: Answer, facts: Facts, xml: bytes, zip_key: str, test_set: str
    ) -> Answer:
        now = self.clock().astimezone(UTC).isoformat()
        try:
            with self.store.transaction() as db:
                db.execute(
                    "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        facts.uuid,
                        facts.issuer_nit,
                        facts.type_code,
                        facts.number,
                        facts.receiver_nit,
                        xml,
                        answer.to_json(),
                        now,
                    ),
                )
                self._record(db, answer, zip_key, test_set, facts)
        except sqlite3.IntegrityError:
            # A concurrent identical send won the race: rule 90, as DIAN would answer.
            dup = rejected([finding("90")], key=facts.uuid, name=answer.file_name)
            return self.remember(dup, zip_key, test_set)
        return answer

    def remember(
        self, answer: Answer, zip_key: str, test_set: str = "", facts: Facts | None = None
    ) -> Answer:
        with self.store.transaction() as db:
            self._record(db, answer, zip_key, test_set, facts)
        return answer

    def _record(
        self,
        db: sqlite3.Connection,
        answer: Answer,
        zip_key: str,
        test_set: str,
        facts: Facts | None,
    ) -> None:
        db.execute(
            "INSERT INTO answers (zip_key, document_key, answer) VALUES (?, ?, ?)",
            (zip_key or None, answer.document_key or None, answer.to_json()),
        )
        if test_set:
            kind = TEST_SET_KIND.get(facts.type_code, facts.type_code) if facts else ""
            count_test_set(db, test_set, kind, accepted=answer.is_valid)


def count_test_set(db: sqlite3.Connection, test_set_id: str, kind: str, *, accepted: bool) -> None:
    """Update the set's counters; when every kind reaches its requirement the set is
    Aceptado and the contributor is enabled automatically (SPEC §5)."""
    row = db.execute("SELECT * FROM test_sets WHERE test_set_id = ?", (test_set_id,)).fetchone()
    if row is None or row["state"] == "Aceptado":
        return
    counts = json.loads(row["accepted"])
    if accepted:
        counts[kind] = counts.get(kind, 0) + 1
    required = json.loads(row["required"])
    done = all(counts.get(k, 0) >= n for k, n in required.items())
    db.execute(
        "UPDATE test_sets SET accepted = ?, received = received + 1, "
        "rejected = rejected + ?, state = ? WHERE test_set_id = ?",
        (
            json.dumps(counts),
            0 if accepted else 1,
            "Aceptado" if done else "En proceso",
            test_set_id,
        ),
    )
    if done:
        db.execute(
            "UPDATE modes SET state = 'Aceptado' WHERE nit = ? AND software_id = ?",
            (row["nit"], row["software_id"]),
        )
        db.execute("UPDATE taxpayers SET enabled = 1 WHERE nit = ?", (row["nit"],))


def answers_for_zip(store: Store, zip_key: str) -> list[Answer]:
    return [Answer.from_dict(a) for a in store.zip_answers(zip_key)]
