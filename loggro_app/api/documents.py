"""The files of a sales document, for its own organization's logged-in users only.

The session token travels in the Authorization header, never in the URL, which servers log
and browsers keep in their history. Another organization's document is "not found", never
its bytes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from loggro_app.api import problems
from loggro_app.core.errors import AuthError, NotFoundError
from loggro_app.db import session_scope
from loggro_app.services import auth, sales

router = APIRouter(tags=["ventas"])
bearer = HTTPBearer(auto_error=False, description="El token de la sesión iniciada en la app.")

# file -> (column of SalesDocument, media type, file name suffix)
DOCUMENT_FILES = {
    "xml": ("signed_xml", "application/xml", ".xml"),
    "pdf": ("pdf", "application/pdf", ".pdf"),
    "zip": ("attached_document", "application/zip", ".zip"),
}
PATH = "/api/ventas/documentos/{document_id:int}/{file}"
FILE_CONTENT = {media: {"schema": {"type": "string", "format": "binary"}}
                for _column, media, _suffix in DOCUMENT_FILES.values()}


@router.get(
    PATH,
    summary="XML firmado (xml), PDF (pdf) o AttachedDocument (zip) de un documento de la "
            "organización; sesión en Authorization: Bearer",
    response_class=Response,
    responses={200: {"description": "El archivo, como adjunto.", "content": FILE_CONTENT},
               **problems.responses(401, 404)},
)
def document_file(
    document_id: Annotated[int, Path(ge=0, description="Id del documento de venta.")],
    # Any other name is a 404 like a missing document (not a 422): the schema lists the three.
    file: Annotated[str, Path(description="Qué archivo: xml, pdf o zip.",
                              json_schema_extra={"enum": list(DOCUMENT_FILES)})],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None,
) -> Response:
    if file not in DOCUMENT_FILES:
        return problems.problem(404, "Archivo desconocido.")
    token = credentials.credentials if credentials is not None else ""
    column, media_type, suffix = DOCUMENT_FILES[file]
    with session_scope() as session:
        try:
            # A download is not activity: it must not keep an idle session alive.
            user = auth.current_user(session=session, token_hash=auth.hash_token(token),
                                     activity=False)
        except AuthError as exc:
            return problems.problem(401, exc.message, headers={"www-authenticate": "Bearer"})
        try:
            row = sales.get_document(session=session, scope=user.scope,
                                     document_id=document_id)
        except NotFoundError as exc:
            return problems.problem(404, exc.message)
        content = getattr(row, column)
        if content is None:
            return problems.problem(404, "Este archivo aún no existe.")
        name = f"{row.kind}-{row.prefix}{row.number}{suffix}"
    return Response(content, media_type=media_type,
                    headers={"content-disposition": f'attachment; filename="{name}"',
                             "cache-control": "no-store"})


router.add_api_route(PATH, document_file, methods=["HEAD"], include_in_schema=False,
                     response_class=Response)
