"""The organization's background work, as its principal user sees it under *Configuración*.

Every workflow id starts with `org{id}-`, so listing by that prefix shows one organization's
work only. Sync DBOS calls refuse to run inside an event loop: page handlers call these
through a thread.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from dbos import DBOS, SetWorkflowID
from sqlmodel import Session, col, select

from loggro_app.core.clock import BOGOTA, local_text
from loggro_app.core.errors import NotFoundError, PermissionDenied
from loggro_app.models import SalesDocument
from loggro_app.services.scope import Scope

NAMES = {
    "issue_document": "Emisión de documento",
    "make_files": "PDF y AttachedDocument",
    "deliver_document": "Envío por correo al cliente",
    "run_test_set": "Set de pruebas DIAN",
}
STEP_NAMES = {
    "number": "Numerar", "reserve": "Reservar cupo", "sign": "Firmar",
    "send": "Enviar a la DIAN", "deadline": "Revisar plazo", "settle": "Cerrar cupo",
    "pdf": "PDF", "container": "AttachedDocument", "advance": "Enviar y consultar",
    "sleep": "Esperar",
}
STATES = {
    "PENDING": "En curso", "ENQUEUED": "En cola", "DELAYED": "Programado",
    "SUCCESS": "Terminado", "ERROR": "Falló", "CANCELLED": "Cancelado",
    "MAX_RECOVERY_ATTEMPTS_EXCEEDED": "Falló",
}
RETRYABLE = {"ERROR", "CANCELLED", "MAX_RECOVERY_ATTEMPTS_EXCEEDED"}
MAX_LISTED = 100


@dataclass(frozen=True)
class WorkView:
    workflow_id: str
    name: str
    subject: str
    state: str
    status: str
    started: str
    steps: str
    error: str
    can_retry: bool


def _prefix(scope: Scope) -> str:
    return f"org{scope.organization_id}-"


def _principal(scope: Scope) -> None:
    if not scope.is_principal:
        raise PermissionDenied("Solo el usuario principal ve el trabajo en segundo plano.")


def _moment(epoch_ms: int | None) -> str:
    if not epoch_ms:
        return ""
    return local_text(datetime.fromtimestamp(epoch_ms / 1000, BOGOTA))


_ID = re.compile(r"org\d+-(?P<what>issue|testset|mail)-(?P<id>\d+)(?:-r(?P<round>\d+))?"
                 r"(?:-entrega|-reenvio-\d+)?"
                 r"(?:-files)?(?:-retry(?P<retry>\d+))?(?:-files)?")


def _subject(workflow_id: str) -> str:
    match = _ID.fullmatch(workflow_id)
    if match is None:
        return ""
    text = (f"Ejecución {match['id']}" if match["what"] == "testset"
            else f"Documento {match['id']}")
    if match["round"]:
        text += f", reenvío {match['round']}"
    if match["retry"]:
        text += f", reintento {match['retry']}"
    return text


def _steps_text(names: list[str]) -> str:
    shown = names if len(names) <= 9 else [*names[:3], "…", *names[-5:]]
    return " → ".join(shown)


def list_work(*, scope: Scope, limit: int = 50,
              numbers: Callable[[list[int]], dict[int, str]] | None = None) -> list[WorkView]:
    """`numbers` names documents by their number (FE LCFE12) instead of their row id."""
    _principal(scope)
    found = DBOS.list_workflows(workflow_id_prefix=_prefix(scope), sort_desc=True,
                                limit=max(1, min(limit, MAX_LISTED)), load_input=False)
    views = []
    for status in found:
        steps = DBOS.list_workflow_steps(status.workflow_id)
        done = [STEP_NAMES.get(s["function_name"].rsplit(".", 1)[-1],
                               s["function_name"].rsplit(".", 1)[-1])
                for s in steps if s["completed_at_epoch_ms"] and s["error"] is None]
        failed = next((s for s in steps if s["error"] is not None), None)
        error = str(failed["error"])[:300] if failed else (
            str(status.error)[:300] if status.error else "")
        views.append(WorkView(
            workflow_id=status.workflow_id, name=NAMES.get(status.name, status.name),
            subject=_subject(status.workflow_id), state=status.status,
            status=STATES.get(status.status, status.status),
            started=_moment(status.created_at), steps=_steps_text(done), error=error,
            can_retry=status.status in RETRYABLE))
    if numbers is None:
        return views
    ids = {int(m["id"]) for v in views if (m := _ID.fullmatch(v.workflow_id))
           and m["what"] != "testset"}
    names = numbers(sorted(ids))
    return [replace(v, subject=_named(v, names)) for v in views]


def _named(view: WorkView, names: dict[int, str]) -> str:
    match = _ID.fullmatch(view.workflow_id)
    if match is None or match["what"] == "testset" or int(match["id"]) not in names:
        return view.subject
    return view.subject.replace(f"Documento {match['id']}", names[int(match["id"])], 1)


def document_numbers(*, session: Session, scope: Scope, ids: list[int]) -> dict[int, str]:
    """How people name the documents being issued: kind and number (or draft)."""
    if not ids:
        return {}
    rows = session.exec(select(SalesDocument).where(
        SalesDocument.organization_id == scope.organization_id,
        col(SalesDocument.id).in_(ids))).all()
    return {row.id: f"{row.kind} {row.prefix}{row.number}" if row.number is not None
            else f"{row.kind} sin número" for row in rows if row.id is not None}


def retry(*, scope: Scope, workflow_id: str) -> str:
    """Run failed work again from the step that failed; returns the id of the new run."""
    _principal(scope)
    if not workflow_id.startswith(_prefix(scope)):
        raise NotFoundError("Ese trabajo no pertenece a tu organización.")
    status = DBOS.get_workflow_status(workflow_id)
    if status is None:
        raise NotFoundError("Ese trabajo ya no existe.")
    if status.status not in RETRYABLE:
        return workflow_id
    if status.status != "ERROR":
        DBOS.resume_workflow(workflow_id)
        return workflow_id
    steps = DBOS.list_workflow_steps(workflow_id)
    failed = next((s["function_id"] for s in steps if s["error"] is not None),
                  len(steps) + 1)
    tries = len(DBOS.list_workflows(workflow_id_prefix=f"{workflow_id}-retry",
                                    load_input=False, load_output=False))
    new_id = f"{workflow_id}-retry{tries + 1}"
    with SetWorkflowID(new_id):
        DBOS.fork_workflow(workflow_id, failed)
    return new_id
