"""The hotel PMS's API (docs/pms-api.md): documents in, their status out.

Every request carries the property's bearer token. A document is stored once per
(property, PMS id, kind): the same body again answers 200 with the same document, another
body 409. Requests per property are rate-limited (429 with Retry-After).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import os
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.exceptions import HTTPException
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import OperationalError

from loggro_app.api import problems
from loggro_app.core.errors import AuthError
from loggro_app.db import read_scope, session_scope
from loggro_app.durable import pms as pms_work
from loggro_app.http_body import BodyTooLarge, read_body
from loggro_app.models import PmsConnection, SalesDocument
from loggro_app.pms.rate_limit import RateLimiter
from loggro_app.pms.schema import Kind, PmsDocumentIn, PmsDocumentStatus
from loggro_app.services import pms_connection, pms_intake
from loggro_app.services.pms_intake import Conflict, Received, Refused

log = logging.getLogger(__name__)
PREFIX = "/api/pms/v1"
T = TypeVar("T")
MAX_BODY = 256 * 1024  # a folio of 200 lines is about 60 KB


class CappedRoute(APIRoute):
    """Reads the body with a cap before FastAPI parses it: a huge body is refused (413) as
    it arrives instead of being buffered whole."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def capped(request: Request) -> Response:
            try:
                body = await read_body(request, MAX_BODY)
            except BodyTooLarge as exc:
                return problems.problem(413, f"El cuerpo supera {exc.limit // 1024} KB.")
            request._body = body  # what Request.body() returns from now on
            return await handler(request)

        return capped


router = APIRouter(prefix=PREFIX, tags=["Alojamientos (PMS)"], route_class=CappedRoute)
bearer = HTTPBearer(auto_error=False, description="El token de conexión de la propiedad.")
FILES = {"xml": ("signed_xml", "application/xml", ".xml"),
         "pdf": ("pdf", "application/pdf", ".pdf")}


# The PMS API's database work runs on threads of its own: a PMS pushing a burst queues
# here, not on the default threads the pages' handlers use in the same backend. Few are
# enough: an intake is Python work (one thread at a time holds the GIL) with short waits on
# the database in between. bench/pms_intake.py at 8 pushers showed no difference between 2
# and 6 threads per process. LOGGRO_PMS_DB_THREADS changes it.
_db_threads = ThreadPoolExecutor(max_workers=int(os.environ.get("LOGGRO_PMS_DB_THREADS") or 2),
                                 thread_name_prefix="pms-api")


async def in_db_thread(work: Callable[..., T], *args: Any) -> T:
    """`asyncio.to_thread` on the API's own threads."""
    call = functools.partial(contextvars.copy_context().run, work, *args)
    return await asyncio.get_running_loop().run_in_executor(_db_threads, call)


def _limiter() -> RateLimiter:
    rate = float(os.environ.get("LOGGRO_PMS_RATE_PER_SECOND") or 300)
    burst = int(os.environ.get("LOGGRO_PMS_RATE_BURST") or 600)
    return RateLimiter(rate=rate, burst=burst, now=time.monotonic)


_limits: dict[str, RateLimiter] = {}


def limiter() -> RateLimiter:
    # built on first use, so a test's environment decides the rate
    if "pms" not in _limits:
        _limits["pms"] = _limiter()
    return _limits["pms"]


def _authenticate(token: str) -> PmsConnection:
    with read_scope() as session:  # one SELECT
        return pms_connection.authenticate(session=session, token=token)


async def connected_property(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None,
) -> PmsConnection:
    """The property of the bearer token, within its rate; nothing is read before this."""
    token = credentials.credentials if credentials is not None else ""
    try:
        connection = await in_db_thread(_authenticate, token)
    except AuthError as exc:
        raise HTTPException(401, exc.message, headers={"WWW-Authenticate": "Bearer"}) from None
    wait = limiter().take(connection.property_id)
    if wait:
        raise HTTPException(429, "Demasiadas peticiones de esta propiedad: espera e intenta "
                                 "de nuevo.",
                            headers={"Retry-After": str(RateLimiter.retry_after(wait))})
    return connection


Property = Annotated[PmsConnection, Depends(connected_property)]


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/") + PREFIX


def _refused(exc: Refused) -> JSONResponse:
    return problems.problem(
        422, f"El documento tiene {len(exc.errors)} error(es): corrígelos y envíalo de nuevo.",
        errors=[problems.FieldError(field=e.field, message=e.message, rule=e.rule or None)
                for e in exc.errors])


def _receive(connection: PmsConnection, document: PmsDocumentIn, key: str | None,
             base_url: str) -> Received:
    with session_scope() as session:
        # On PostgreSQL its issuing is queued in the transaction that stores it
        received = pms_intake.receive(session=session, connection=connection,
                                      document=document, idempotency_key=key,
                                      base_url=base_url, queue_issue=pms_work.enqueue_issue_in)
    if received.created and not received.queued:
        # Queued after the commit (SQLite: DBOS's tables are in a file of their own). If it
        # cannot be queued now (a process going down), the document stays queued and the
        # minute's sweep (durable.issuing.sweep_job) queues it: the PMS already has its
        # answer and must not send it again.
        try:
            pms_work.enqueue_issue(received.organization_id, received.document_id)
        except Exception:  # noqa: BLE001 - any failure here is recovered by the sweep
            log.warning("documento %s guardado; su emisión empezará con el barrido",
                        received.document_id, exc_info=True)
    return received


@router.post(
    "/documents", status_code=201, response_model=PmsDocumentStatus,
    summary="Recibir una factura, nota o documento soporte del PMS",
    responses={200: {"model": PmsDocumentStatus,
                     "description": "El mismo documento otra vez: su estado actual."},
               201: {"description": "Recibido: se está emitiendo."},
               **problems.responses(400, 401, 409, 413, 422, 429, 503)},
)
async def receive_document(
        document: PmsDocumentIn, request: Request, connection: Property,
        idempotency_key: Annotated[str | None, Header(
            alias="Idempotency-Key", max_length=100,
            description="Opcional: la misma clave con el mismo cuerpo es el mismo documento."
        )] = None,
) -> JSONResponse:
    try:
        received = await in_db_thread(_receive, connection, document, idempotency_key,
                                           _base_url(request))
    except Refused as exc:
        return _refused(exc)
    except OperationalError:
        # SQLite busy past its timeout: nothing was stored, the same body may come again
        log.warning("intake del PMS sin base de datos disponible", exc_info=True)
        return problems.problem(503, "El servicio está ocupado: envía el documento de nuevo "
                                     "en un momento.", headers={"Retry-After": "2"})
    except Conflict as exc:
        return problems.problem(409, exc.message, errors=[problems.FieldError(
            field=exc.field, message=exc.message)] if exc.field else [])
    return JSONResponse(received.status.model_dump(mode="json"),
                        status_code=201 if received.created else 200)


def _status(connection: PmsConnection, pms_document_id: str, kind: str,
            base_url: str) -> PmsDocumentStatus | None:
    with session_scope() as session:
        intake = pms_intake.intake_of(session=session, connection=connection,
                                      pms_document_id=pms_document_id, kind=kind)
        return None if intake is None else pms_intake.status_of(session, intake, base_url)


DocumentId = Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,64}$",
                                 description="El id del documento en el PMS.")]
KindQuery = Annotated[Kind, Query(description="El tipo del documento.")]
NOT_FOUND = "Este PMS no envió un documento con ese id y tipo."


@router.get("/documents/{pms_document_id}", response_model=PmsDocumentStatus,
            summary="Estado de un documento enviado por el PMS",
            responses=problems.responses(401, 404, 422, 429))
async def document_status(pms_document_id: DocumentId, request: Request, connection: Property,
                          kind: KindQuery = "invoice") -> JSONResponse:
    status = await in_db_thread(_status, connection, pms_document_id, kind,
                                     _base_url(request))
    if status is None:
        return problems.problem(404, NOT_FOUND)
    return JSONResponse(status.model_dump(mode="json"))


def _file(connection: PmsConnection, pms_document_id: str, kind: str,
          file: str) -> tuple[bytes, str] | None:
    column, _media, suffix = FILES[file]
    with session_scope() as session:
        intake = pms_intake.intake_of(session=session, connection=connection,
                                      pms_document_id=pms_document_id, kind=kind)
        row = session.get(SalesDocument, intake.document_id) if intake else None
        if row is None or row.status != "accepted" or getattr(row, column) is None:
            return None
        return getattr(row, column), f"{row.prefix}{row.number}{suffix}"


@router.get("/documents/{pms_document_id}/{file}", response_class=Response,
            summary="XML firmado o PDF de un documento aceptado",
            responses={200: {"description": "El archivo.", "content": {
                "application/xml": {"schema": {"type": "string", "format": "binary"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
                **problems.responses(401, 404, 422, 429)})
async def document_file(pms_document_id: DocumentId, file: Literal["xml", "pdf"],
                        connection: Property, kind: KindQuery = "invoice") -> Response:
    found = await in_db_thread(_file, connection, pms_document_id, kind, file)
    if found is None:
        return problems.problem(404, "El archivo no existe o el documento aún no fue aceptado.")
    content, name = found
    return Response(content, media_type=FILES[file][1],
                    headers={"content-disposition": f'attachment; filename="{name}"',
                             "cache-control": "no-store"})
