"""Every error of the API as `application/problem+json` (RFC 9457), titled in Spanish.

A client reads `status` and `title` for what went wrong and `errors` for which field, so one
parser serves every endpoint: FastAPI's request validation (422, with paths such as
`lines.0.quantity`), malformed JSON (400), unknown routes and methods (404, 405), the
project's own errors raised by services, a database that does not answer (503, with
Retry-After: the client retries), and anything unexpected (500, without details).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException
from starlette.routing import Match, Mount

from loggro_app.core.errors import (
    AuthError,
    ConflictError,
    LoggroError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
)

log = logging.getLogger(__name__)
PROBLEM_MEDIA_TYPE = "application/problem+json"

# RFC 9457 lets the title of "about:blank" problems be localized: our users read Spanish.
TITLES = {
    400: "Petición inválida",
    401: "Sesión requerida",
    403: "Acceso denegado",
    404: "No encontrado",
    405: "Método no permitido",
    409: "Conflicto con el estado actual",
    413: "Petición demasiado grande",
    415: "Tipo de contenido no admitido",
    422: "Datos inválidos",
    429: "Demasiadas peticiones",
    500: "Error interno",
    503: "Servicio no disponible",
}

# pydantic's error types -> the Spanish message shown next to the field.
MESSAGES = {
    "missing": "Este campo es obligatorio.",
    "extra_forbidden": "Este campo no se admite.",
    "string_type": "Debe ser un texto.",
    "string_too_short": "Es demasiado corto.",
    "string_too_long": "Es demasiado largo.",
    "string_pattern_mismatch": "No tiene el formato esperado.",
    "int_type": "Debe ser un número entero.",
    "int_parsing": "Debe ser un número entero.",
    "int_from_float": "Debe ser un número entero.",
    "float_type": "Debe ser un número.",
    "float_parsing": "Debe ser un número.",
    "decimal_type": "Debe ser un número decimal.",
    "decimal_parsing": "Debe ser un número decimal.",
    "decimal_max_digits": "Tiene demasiados dígitos.",
    "decimal_max_places": "Tiene demasiados decimales.",
    "bool_type": "Debe ser verdadero o falso.",
    "bool_parsing": "Debe ser verdadero o falso.",
    "greater_than": "Debe ser mayor que {gt}.",
    "greater_than_equal": "Debe ser mayor o igual que {ge}.",
    "less_than": "Debe ser menor que {lt}.",
    "less_than_equal": "Debe ser menor o igual que {le}.",
    "list_type": "Debe ser una lista.",
    "too_short": "Debe tener al menos {min_length} elementos.",
    "too_long": "Debe tener como máximo {max_length} elementos.",
    "dict_type": "Debe ser un objeto.",
    "model_type": "Debe ser un objeto.",
    "model_attributes_type": "Debe ser un objeto.",
    "enum": "Debe ser uno de: {expected}.",
    "literal_error": "Debe ser uno de: {expected}.",
    "date_type": "Debe ser una fecha (AAAA-MM-DD).",
    "date_parsing": "Debe ser una fecha (AAAA-MM-DD).",
    "date_from_datetime_parsing": "Debe ser una fecha (AAAA-MM-DD).",
    "datetime_type": "Debe ser una fecha y hora ISO 8601.",
    "datetime_parsing": "Debe ser una fecha y hora ISO 8601.",
    "datetime_from_date_parsing": "Debe ser una fecha y hora ISO 8601.",
    "timezone_aware": "Debe indicar la zona horaria.",
    "uuid_type": "Debe ser un UUID.",
    "uuid_parsing": "Debe ser un UUID.",
    "value_error": "Valor inválido.",
}
DEFAULT_MESSAGE = "Valor inválido."
# A problem whose kind says more than its status gets its own type; the rest "about:blank".
VALIDATION_TYPE = "https://loggro.co/problems/validation"
TYPES = {422: VALIDATION_TYPE}
MALFORMED_JSON = "El cuerpo de la petición no es JSON válido."
# Where FastAPI says a value came from; the client knows its own field paths without it.
LOCATIONS = {"body", "query", "path", "header", "cookie"}


class FieldError(BaseModel):
    field: str = Field(description="Ruta del campo, p. ej. `lines.0.quantity`.")
    message: str = Field(description="Qué está mal, en español.")
    rule: str | None = Field(default=None, description="Regla incumplida (código estable).")


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(default="about:blank", description="URI del tipo de problema.")
    title: str = Field(description="Resumen del tipo de problema, en español.")
    status: int = Field(description="Código HTTP de la respuesta.")
    detail: str = Field(default="", description="Explicación de esta ocurrencia.")
    errors: list[FieldError] = Field(default_factory=list,
                                     description="Errores por campo, cuando los hay.")


def title_of(status: int) -> str:
    if status in TITLES:
        return TITLES[status]
    return TITLES[500] if status >= 500 else TITLES[400]


def problem(status: int, detail: str = "", *, errors: Iterable[FieldError] = (),
            headers: dict[str, str] | None = None, type: str | None = None) -> JSONResponse:
    body = Problem(type=type or TYPES.get(status, "about:blank"), title=title_of(status),
                   status=status, detail=detail, errors=list(errors))
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status,
                        media_type=PROBLEM_MEDIA_TYPE, headers=headers)


_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: each status documented as a problem+json body."""
    return {status: {"description": title_of(status),
                     "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_REF}}}
            for status in statuses}


def field_path(loc: Sequence[str | int]) -> str:
    """('body', 'lines', 0, 'quantity') -> 'lines.0.quantity'."""
    parts = list(loc)
    if len(parts) > 1 and parts[0] in LOCATIONS:
        parts = parts[1:]
    return ".".join(str(p) for p in parts)


def message_of(error: dict[str, Any]) -> str:
    template = MESSAGES.get(str(error.get("type", "")), DEFAULT_MESSAGE)
    try:
        return template.format(**error.get("ctx", {}))
    except (KeyError, IndexError):
        return DEFAULT_MESSAGE


def field_errors(errors: Sequence[Any]) -> list[FieldError]:
    return [FieldError(field=field_path(e.get("loc", ())), message=message_of(e),
                       rule=str(e.get("type", "")) or None) for e in errors]


async def _validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return problem(400, MALFORMED_JSON)
    return problem(422, "Revisa los campos señalados.", errors=field_errors(errors))


async def _http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else ""
    if detail in {s.phrase for s in HTTPStatus if s.value == exc.status_code}:
        detail = ""  # Starlette's English default says nothing the Spanish title does not
    return problem(exc.status_code, detail, headers=dict(exc.headers or {}))


# The project's own errors, raised by services, and the status each one answers with.
STATUS_OF: tuple[tuple[type[LoggroError], int], ...] = (
    (NotFoundError, 404),
    (AuthError, 401),
    (PermissionDenied, 403),
    (ConflictError, 409),
)


async def _loggro(_request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, ValidationError):
        errors = [FieldError(field="" if f == "__all__" else f, message=m)
                  for f, m in exc.errors.items()]
        return problem(422, "Revisa los campos señalados.", errors=errors)
    assert isinstance(exc, LoggroError)
    status = next((s for kind, s in STATUS_OF if isinstance(exc, kind)), 400)
    headers = {"www-authenticate": "Bearer"} if status == 401 else None
    return problem(status, exc.message, headers=headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # The traceback goes to the log; the client gets no internals.
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(500, "Ocurrió un error inesperado. Intenta de nuevo más tarde.")


DATABASE_DOWN = "La base de datos no responde en este momento. Intenta de nuevo en unos segundos."
RETRY_AFTER_SECONDS = 5


async def _database_down(request: Request, exc: Exception) -> JSONResponse:
    # A restart or failover of PostgreSQL is temporary and nothing was stored: the client
    # should hear "later", not "broken", and a PMS retries on 503 by itself.
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path,
                str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    return problem(503, DATABASE_DOWN, headers={"retry-after": str(RETRY_AFTER_SECONDS)})


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


async def not_found_or_method(request: Request) -> JSONResponse:
    """The last /api/ route: 405 with Allow when another route has this path, else 404."""
    routes = [r for r in request.app.router.routes
              if not isinstance(r, Mount) and getattr(r, "endpoint", None) is not
              not_found_or_method]
    allowed = [m for m in METHODS
               if any(r.matches({**request.scope, "method": m})[0] == Match.FULL
                      for r in routes)]
    if allowed:
        return problem(405, headers={"allow": ", ".join(allowed)})
    return problem(404)


HANDLERS: tuple[tuple[type[Exception], Callable[..., Any]], ...] = (
    (RequestValidationError, _validation),
    (HTTPException, _http),
    (LoggroError, _loggro),
    # the connection refused or lost, or no pooled connection freed in time
    (sa_exc.OperationalError, _database_down),
    (sa_exc.TimeoutError, _database_down),
    (Exception, _unexpected),
)


def install(app: FastAPI) -> None:
    """Register the handlers, and make the OpenAPI description say problem+json."""
    for kind, handler in HANDLERS:
        app.add_exception_handler(kind, handler)
    _describe(app)


def _describe(app: FastAPI) -> None:
    """FastAPI documents its 422 as `HTTPValidationError` in JSON; ours is a Problem. The
    rewrite runs over every operation, so routers added later are described right too."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}",
                                                   mode="serialization")
        components.update(problem_schema.pop("$defs", {}))
        components["Problem"] = problem_schema
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                answers = operation.get("responses", {})
                if "422" in answers and PROBLEM_MEDIA_TYPE not in answers["422"].get(
                        "content", {}):
                    answers["422"] = responses(422)[422]
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
