"""REST endpoints mounted on Reflex's backend (`api_transformer` in loggro_app.py).

One FastAPI app; each module holds one `APIRouter`. To add endpoints, write a module with a
`router` and list it in ROUTERS: its OpenAPI description, problem+json errors, interactive
docs (/api/docs) and contract test (tests/unit/api/test_contract.py) follow by themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import APIRouter, FastAPI

from loggro_app.api import docs, documents, health, payments, pms, problems, received

OPENAPI_URL = "/api/openapi.json"

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    payments.router,
    documents.router,
    received.router,
    pms.router,
)


def create_api(routers: Iterable[APIRouter] = ROUTERS) -> FastAPI:
    app = FastAPI(
        title="Loggro FE API",
        version="1",
        description="Facturación electrónica DIAN: webhooks de pago, estado del servicio y "
                    "archivos de los documentos de venta. Los errores son "
                    "`application/problem+json` (RFC 9457).",
        openapi_url=OPENAPI_URL,
        docs_url=None,  # served from local files by `docs`, never from a CDN
        redoc_url=None,
    )
    problems.install(app)
    for router in routers:
        app.include_router(router)
    docs.install(app)
    # Reflex mounts its own backend at "" after these routes, so an unknown /api/ path would
    # reach it; this last route keeps the API's 404 and 405 answers as problems.
    app.add_api_route("/api/{rest:path}", problems.not_found_or_method, include_in_schema=False,
                      methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
    return app


api = create_api()
