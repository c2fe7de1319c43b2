"""Liveness: the backend answers (load balancers and the local stack poll it)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(tags=["servicio"])


class Health(BaseModel):
    status: Literal["ok"] = "ok"


@router.get("/api/health", summary="Estado del servicio", response_model=Health)
async def health() -> Health:
    return Health()


# HEAD answers as GET did before (monitors use it); described once, under GET.
router.add_api_route("/api/health", health, methods=["HEAD"], include_in_schema=False)
