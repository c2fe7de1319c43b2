"""Every error of the API is an RFC 9457 problem in Spanish: malformed JSON, invalid fields
(with their paths), unknown routes and methods, the services' errors and the unexpected."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from loggro_app.api import ROUTERS, api, create_api
from loggro_app.api.problems import PROBLEM_MEDIA_TYPE, field_path
from loggro_app.core.errors import NotFoundError, ValidationError

PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}


class Line(BaseModel):
    description: str
    quantity: Decimal = Field(gt=0)


class Sale(BaseModel):
    customer: str
    lines: list[Line]


probe = APIRouter()


@probe.post("/api/probe/sales")
def create_sale(sale: Sale) -> dict[str, int]:
    return {"lines": len(sale.lines)}


@probe.get("/api/probe/refused")
def refused() -> None:
    raise ValidationError({"nit": "El NIT no es válido."})


@probe.get("/api/probe/missing")
def missing() -> None:
    raise NotFoundError("El documento no existe.")


@probe.get("/api/probe/broken")
def broken() -> None:
    raise RuntimeError("secreto interno")


@pytest.fixture(scope="module")
def client() -> TestClient:
    # The real app's wiring (handlers, routers, catch-all) plus a router that takes JSON.
    return TestClient(create_api((*ROUTERS, probe)), raise_server_exceptions=False)


def is_problem(answer, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert answer.status_code == status
    assert answer.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body = answer.json()
    assert PROBLEM_KEYS <= set(body) and body["status"] == status
    return body


def test_malformed_json_is_a_400_problem(client: TestClient) -> None:
    answer = client.post("/api/probe/sales", content=b'{"customer": "x", "lines": [',
                         headers={"content-type": "application/json"})
    body = is_problem(answer, 400)
    assert body["title"] == "Petición inválida"
    assert body["detail"] == "El cuerpo de la petición no es JSON válido."


def test_invalid_fields_are_named_by_their_path_in_spanish(client: TestClient) -> None:
    answer = client.post("/api/probe/sales", json={
        "lines": [{"description": "Café", "quantity": "0"}, {"quantity": "dos"}]})
    body = is_problem(answer, 422)
    assert body["title"] == "Datos inválidos"
    assert body["type"] == "https://loggro.co/problems/validation"
    errors = {e["field"]: e for e in body["errors"]}
    assert errors["customer"]["message"] == "Este campo es obligatorio."
    assert errors["lines.0.quantity"] == {"field": "lines.0.quantity",
                                          "message": "Debe ser mayor que 0.",
                                          "rule": "greater_than"}
    assert errors["lines.1.description"]["rule"] == "missing"
    assert errors["lines.1.quantity"]["message"] == "Debe ser un número decimal."
    assert client.post("/api/probe/sales", json={"customer": "c", "lines": []}).json() == {
        "lines": 0}


def test_field_paths_drop_only_the_location() -> None:
    assert field_path(("body", "lines", 0, "quantity")) == "lines.0.quantity"
    assert field_path(("query", "page")) == "page"
    assert field_path(("body",)) == "body"


def test_unknown_routes_and_methods_are_problems(client: TestClient) -> None:
    unknown = is_problem(client.get("/api/no-existe"), 404)
    assert unknown["title"] == "No encontrado" and unknown["type"] == "about:blank"
    assert is_problem(client.get("/otra/cosa"), 404)["errors"] == []
    wrong = client.get("/api/payments/stripe/webhook")
    assert is_problem(wrong, 405)["title"] == "Método no permitido"
    assert wrong.headers["allow"] == "POST"
    assert client.delete("/api/health").headers["allow"] == "GET, HEAD"


def test_the_services_errors_keep_their_meaning(client: TestClient) -> None:
    refused = is_problem(client.get("/api/probe/refused"), 422)
    assert refused["errors"] == [{"field": "nit", "message": "El NIT no es válido."}]
    assert is_problem(client.get("/api/probe/missing"), 404)["detail"] == (
        "El documento no existe.")


def test_the_unexpected_is_a_500_without_internals(client: TestClient) -> None:
    answer = client.get("/api/probe/broken")
    body = is_problem(answer, 500)
    assert body["title"] == "Error interno" and "secreto" not in answer.text


def test_a_forged_webhook_is_a_400_problem_in_spanish() -> None:
    answer = TestClient(api).post("/api/payments/gateway/webhook", content=b"{}",
                                  headers={"Loggro-Signature": "t=1,v1=forjada"})
    body = is_problem(answer, 400)
    assert body["detail"] and "firma" in body["detail"].lower()


def test_an_oversized_webhook_is_a_413_problem() -> None:
    answer = TestClient(api).post("/api/payments/stripe/webhook",
                                  content=b"x" * (256 * 1024 + 1))
    assert is_problem(answer, 413)["title"] == "Petición demasiado grande"


def test_mounted_over_the_backend_the_api_keeps_its_answers() -> None:
    """Reflex mounts its backend at "" inside the API app: the rest of the site reaches it,
    while an unknown /api/ path or method still answers as the API does."""
    app = create_api()
    backend = Starlette(routes=[Route("/ping", lambda _r: PlainTextResponse("pong"))])
    app.mount("", backend)
    client = TestClient(app)
    assert client.get("/ping").text == "pong"
    assert client.get("/api/health").json() == {"status": "ok"}
    assert client.get("/api/docs").status_code == 200
    is_problem(client.get("/api/no-existe"), 404)
    assert is_problem(client.get("/api/payments/gateway/webhook"), 405) and client.get(
        "/api/payments/gateway/webhook").headers["allow"] == "POST"
