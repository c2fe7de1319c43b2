"""Interactive API documentation (Swagger UI) at /api/docs, entirely from this server.

Demos and some deployments run offline, so nothing is loaded from a CDN: the Swagger UI
files ship in a PyPI package (fastapi-offline, Swagger UI 5: the first to read OpenAPI 3.1,
which FastAPI generates) and are served under /api/docs/assets. The page has no inline
script, only files from 'self', so it works under the backend's Content-Security-Policy.
"""

from __future__ import annotations

import json
from html import escape
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

DOCS_URL = "/api/docs"
ASSETS_URL = f"{DOCS_URL}/assets"
ASSETS_DIR = Path(str(files("fastapi_offline") / "static"))
NO_STORE = {"cache-control": "no-cache"}  # the page follows the API across deployments

def page(title: str) -> str:
    return f"""<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="icon" href="{ASSETS_URL}/favicon.png">
<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS_URL}/swagger-ui-bundle.js"></script>
<script src="{DOCS_URL}/init.js"></script>
</body>
</html>
"""


def init_script(openapi_url: str) -> str:
    # validatorUrl null: Swagger UI would otherwise send the description to swagger.io.
    options = {"url": openapi_url, "dom_id": "#swagger-ui", "validatorUrl": None,
               "deepLinking": True, "persistAuthorization": False}
    return (f"const options = {json.dumps(options)};\n"
            "options.presets = [SwaggerUIBundle.presets.apis];\n"
            "window.ui = SwaggerUIBundle(options);\n")


def install(app: FastAPI) -> None:
    title = f"{app.title} · documentación"
    openapi_url = app.openapi_url or ""
    router = APIRouter(include_in_schema=False)

    @router.get(DOCS_URL)
    async def docs() -> HTMLResponse:
        return HTMLResponse(page(title), headers=NO_STORE)

    @router.get(f"{DOCS_URL}/init.js")
    async def init() -> Response:
        return Response(init_script(openapi_url), media_type="text/javascript",
                        headers=NO_STORE)

    app.include_router(router)
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS_DIR), name="docs-assets")
