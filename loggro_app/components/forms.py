"""Form and list building blocks shared by the CRUD pages."""

from __future__ import annotations

from typing import Any

import reflex as rx


def field_error(errors: rx.Var, key: str) -> rx.Component:
    return rx.cond(
        errors.contains(key),  # type: ignore[attr-defined]
        rx.text(errors[key], color=rx.color("red", 11), size="1", class_name="field-error",  # type: ignore[index]
                id=f"error-{key}"),
    )


def labeled(label: str, control: rx.Component, errors: rx.Var | None = None,
            key: str | None = None, hint: str = "", **props: Any) -> rx.Component:
    """A field with its label, an optional hint (its allowed range) and its error."""
    children = [rx.text(label, size="2", weight="medium"), control]
    if hint:
        children.append(rx.text(hint, size="1", color=rx.color("gray", 11),
                                class_name="field-hint"))
    if errors is not None and key is not None:
        children.append(field_error(errors, key))
    return rx.vstack(*children, spacing="1", width="100%", **props)


def text_input(value: rx.Var, on_change: Any, id: str, **props: Any) -> rx.Component:
    return rx.input(value=value, on_change=on_change, id=id, width="100%", **props)


def search_bar(value: rx.Var, on_change: Any, placeholder: str, on_new: Any,
               new_label: str) -> rx.Component:
    return rx.flex(
        rx.input(rx.input.slot(rx.icon("search", size=16)), value=value, on_change=on_change,
                 placeholder=placeholder, id="search", flex="1", min_width="0",
                 debounce_timeout=300),
        rx.button(rx.icon("plus", size=16), new_label, on_click=on_new, id="new-button"),
        spacing="2", width="100%", align="center",
    )


def pager(page: rx.Var, pages: rx.Var, total: rx.Var, on_prev: Any,
          on_next: Any) -> rx.Component:
    return rx.flex(
        rx.text(total, rx.cond(total == 1, " registro", " registros"), size="2",
                color=rx.color("gray", 11), id="total"),
        rx.hstack(
            rx.icon_button(rx.icon("chevron-left"), on_click=on_prev, disabled=page <= 1,
                           variant="soft", aria_label="Página anterior"),
            rx.text("Página ", page, " de ", pages, size="2"),
            rx.icon_button(rx.icon("chevron-right"), on_click=on_next, disabled=page >= pages,
                           variant="soft", aria_label="Página siguiente"),
            align="center", spacing="2",
        ),
        justify="between", align="center", width="100%", wrap="wrap", gap="2",
    )


def confirm_delete(open_: rx.Var, on_open_change: Any, message: rx.Var,
                   on_confirm: Any) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Eliminar"),
            rx.alert_dialog.description(message),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancelar", variant="soft", color_scheme="gray")),
                rx.button("Eliminar", color_scheme="red", on_click=on_confirm,
                          id="confirm-delete"),
                spacing="3", justify="end", margin_top="1em",
            ),
            max_width="420px",
        ),
        open=open_,
        on_open_change=on_open_change,
    )


def row_actions(on_edit: Any, on_delete: Any) -> rx.Component:
    return rx.hstack(
        rx.icon_button(rx.icon("pencil", size=16), on_click=on_edit, variant="ghost",
                       aria_label="Editar", class_name="edit-button"),
        rx.icon_button(rx.icon("trash-2", size=16), on_click=on_delete, variant="ghost",
                       color_scheme="red", aria_label="Eliminar", class_name="delete-button"),
        spacing="1",
    )


def form_dialog(open_: rx.Var, on_open_change: Any, title: rx.Var | str, body: rx.Component,
                on_save: Any, saving: rx.Var, form_error: rx.Var) -> rx.Component:
    """A dialog whose form is saved by its button or by Enter in any field."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title),
            rx.form(
                rx.box(body, max_height="65vh", overflow_y="auto", padding_right="0.25em"),
                rx.cond(form_error != "", rx.callout(form_error, icon="triangle-alert",
                                                     color_scheme="red", margin_top="0.75em",
                                                     id="form-error")),
                rx.flex(
                    rx.dialog.close(rx.button("Cancelar", variant="soft", color_scheme="gray",
                                              type="button")),
                    rx.button("Guardar", loading=saving, id="save-button", type="submit"),
                    spacing="3", justify="end", margin_top="1em",
                ),
                # our own validation names every field in Spanish; the browser's would stop
                # the save on the first "invalid" email before the server could say more
                on_submit=lambda _data: on_save, reset_on_submit=False, no_validate=True,
            ),
            width="95vw", max_width="640px",
        ),
        open=open_,
        on_open_change=on_open_change,
    )
