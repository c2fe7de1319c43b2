"""A simple responsive table for the catalog lists."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

WIDE_ONLY = ["none", "none", "table-cell"]


def catalog_table(headers: list[str], rows: rx.Var,
                  render_row: Callable[[rx.Var], rx.Component]) -> rx.Component:
    """A header ending in '*' is hidden on a phone (its row cell must hide too)."""
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(
                *[rx.table.column_header_cell(h.rstrip("*"),
                                              display=WIDE_ONLY if h.endswith("*") else None)
                  for h in headers],
                rx.table.column_header_cell(""),
            )),
            rx.table.body(rx.foreach(rows, render_row)),
            width="100%", size="1",
        ),
        width="100%", overflow_x="auto",
    )


def choice(options: list[dict[str, str]], value: rx.Var, on_change, id: str) -> rx.Component:  # type: ignore[no-untyped-def]
    return rx.select.root(
        rx.select.trigger(width="100%", id=id),
        rx.select.content(*[rx.select.item(o["name"], value=o["code"]) for o in options]),
        value=value, on_change=on_change,
    )
