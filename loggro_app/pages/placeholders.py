"""Sections later versions fill: each says honestly that it is not available yet."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.layout import app_page, not_available


@app_page("Ventas")
def sales_page() -> rx.Component:
    return not_available("La relación de transacciones de venta")
