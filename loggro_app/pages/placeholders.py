"""Sections later versions fill: each says honestly that it is not available yet."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.layout import app_page, not_available


@app_page("Ventas")
def sales_page() -> rx.Component:
    return not_available("La relación de transacciones de venta")


@app_page("Consecutivos de Facturación")
def numbering_page() -> rx.Component:
    return not_available("Los consecutivos de facturación")


@app_page("Habilitación DIAN")
def enablement_page() -> rx.Component:
    return not_available("La habilitación DIAN")
