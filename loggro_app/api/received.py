"""The original files of a received supplier invoice (*Compras → Facturas recibidas*), for
its own organization's logged-in users only: the supplier's signed XML, DIAN's answer, the
AttachedDocument and the PDF, byte for byte as they arrived.

As in `documents`, the session token travels in the Authorization header, never in the URL;
another organization's invoice is "not found", never its bytes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials

from loggro_app.api import problems
from loggro_app.api.documents import bearer
from loggro_app.core.errors import AuthError, NotFoundError
from loggro_app.db import session_scope
from loggro_app.services import auth, reception

router = APIRouter(tags=["compras"])

PATH = "/api/compras/recibidas/{invoice_id:int}/{file}"
FILE_CONTENT = {media: {"schema": {"type": "string", "format": "binary"}}
                for _column, media, _suffix in reception.FILES.values()}


@router.get(
    PATH,
    summary="Archivos originales de una factura recibida de un proveedor: XML firmado (xml), "
            "respuesta de la DIAN (respuesta), AttachedDocument (adjunto) o PDF (pdf); sesión "
            "en Authorization: Bearer",
    response_class=Response,
    responses={200: {"description": "El archivo, como adjunto.", "content": FILE_CONTENT},
               **problems.responses(401, 404)},
)
def received_file(
    invoice_id: Annotated[int, Path(ge=0, description="Id de la factura recibida.")],
    # Any other name is a 404 like a missing invoice (not a 422): the schema lists the four.
    file: Annotated[str, Path(description="Qué archivo: xml, respuesta, adjunto o pdf.",
                              json_schema_extra={"enum": list(reception.FILES)})],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None,
) -> Response:
    if file not in reception.FILES:
        return problems.problem(404, "Archivo desconocido.")
    token = credentials.credentials if credentials is not None else ""
    with session_scope() as session:
        try:
            # A download is not activity: it must not keep an idle session alive.
            user = auth.current_user(session=session, token_hash=auth.hash_token(token),
                                     activity=False)
        except AuthError as exc:
            return problems.problem(401, exc.message, headers={"www-authenticate": "Bearer"})
        try:
            content, media_type, name = reception.received_file(
                session=session, scope=user.scope, invoice_id=invoice_id, file=file)
        except NotFoundError as exc:
            return problems.problem(404, exc.message)
    return Response(content, media_type=media_type,
                    headers={"content-disposition": f'attachment; filename="{name}"',
                             "cache-control": "no-store"})


router.add_api_route(PATH, received_file, methods=["HEAD"], include_in_schema=False,
                     response_class=Response)
