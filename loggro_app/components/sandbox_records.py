"""The sandbox's resolution and TestSetId, visible and copyable where they are typed."""

from __future__ import annotations

import reflex as rx

from loggro_app.state.sandbox_records import SandboxRecordsState as R


def _copy(value: rx.Var, label: str, id: str) -> rx.Component:
    return rx.button(rx.icon("copy", size=14), label, on_click=R.copy(value), size="1",
                     variant="soft", id=id, type="button")


def resolution_record() -> rx.Component:
    """Loads itself when shown: pages need no extra on_load for it."""
    return rx.box(rx.cond(R.resolution != "", rx.callout(rx.vstack(
        rx.text("Resolución expedida por la DIAN (sandbox):", size="2", weight="medium"),
        rx.code(R.resolution, white_space="normal", id="sandbox-resolution-data"),
        rx.flex(_copy(R.resolution_number, "Copiar número", "copy-resolution-number"),
                _copy(R.resolution_prefix, "Copiar prefijo", "copy-resolution-prefix"),
                gap="2", wrap="wrap"),
        spacing="1", width="100%"), icon="file-text", color_scheme="gray", width="100%")),
        on_mount=R.load, width="100%")


def test_set_record(*extra: rx.Component) -> rx.Component:
    return rx.box(rx.cond(R.test_set_id != "", rx.flex(
        rx.text("TestSetId de la DIAN (sandbox):", size="2"),
        rx.code(R.test_set_id, id="sandbox-test-set-id", word_break="break-all"),
        _copy(R.test_set_id, "Copiar", "copy-test-set-id"), *extra,
        gap="2", align="center", wrap="wrap", width="100%")), on_mount=R.load, width="100%")
