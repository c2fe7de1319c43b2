"""/api/openapi.json is generated from the routers and their models: every route is in it,
each success has a described body and each error is a Problem in problem+json."""

from __future__ import annotations

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from loggro_app.api import OPENAPI_URL, ROUTERS, api
from loggro_app.api.problems import PROBLEM_MEDIA_TYPE

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def described() -> dict:  # type: ignore[type-arg]
    answer = TestClient(api).get(OPENAPI_URL)
    assert answer.status_code == 200
    return answer.json()


def routes() -> set[tuple[str, str]]:
    found = set()
    for router in ROUTERS:
        for route in router.routes:
            if isinstance(route, APIRoute) and route.include_in_schema:
                found |= {(route.path_format, m.lower()) for m in route.methods}
    return found


def test_every_route_of_every_router_is_described() -> None:
    paths = described()["paths"]
    listed = {(path, method) for path, item in paths.items() for method in item}
    assert routes() and listed == routes()
    assert {"/api/health", "/api/payments/stripe/webhook", "/api/payments/gateway/webhook",
            "/api/ventas/documentos/{document_id}/{file}"} <= set(paths)
    assert "/api/docs" not in paths and "/api/openapi.json" not in paths


def test_bodies_come_from_the_models() -> None:
    spec = described()
    schemas = spec["components"]["schemas"]
    assert {"Health", "WebhookOutcome", "Problem", "FieldError"} <= set(schemas)
    assert "HTTPValidationError" not in schemas
    assert set(schemas["Problem"]["properties"]) == {"type", "title", "status", "detail",
                                                     "errors"}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            answers = operation["responses"]
            assert any(s.startswith("2") and answers[s].get("content") for s in answers), (
                path, method)
            for status, answer in answers.items():
                if status.startswith(("4", "5")):
                    assert answer["content"] == {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}}


def test_the_documented_errors() -> None:
    paths = described()["paths"]
    for webhook in ("/api/payments/stripe/webhook", "/api/payments/gateway/webhook"):
        assert {"200", "400", "413"} <= set(paths[webhook]["post"]["responses"])
    download = paths["/api/ventas/documentos/{document_id}/{file}"]["get"]
    assert {"200", "401", "404"} <= set(download["responses"])
    assert download["security"] == [{"HTTPBearer": []}]
