"""Reading a request body with a cap on the bytes actually received.

`await request.body()` buffers whatever the client sends; a 200 MB webhook would sit in
memory before any signature check. The body is read as a stream and refused (HTTP 413)
as soon as it passes the cap, whatever Content-Length claims.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

TOO_LARGE_STATUS = 413


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"el cuerpo de la petición supera {limit} bytes")
        self.limit = limit


async def read_body(request: Request, limit: int) -> bytes:
    """The raw body; BodyTooLarge once more than `limit` bytes were declared or received."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(limit)
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > limit:
            raise BodyTooLarge(limit)
    return bytes(received)


def too_large(exc: BodyTooLarge) -> JSONResponse:
    return JSONResponse({"error": f"Petición demasiado grande (máximo {exc.limit} bytes)."},
                        TOO_LARGE_STATUS)
