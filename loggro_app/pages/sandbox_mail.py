"""Correo de pruebas: what the local SMTP server received in place of the buyers (sandbox)."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.layout import app_page
from loggro_app.state.sandbox_mail import SandboxMailState as M

GRAY = rx.color("gray", 11)


def mail_card(mail: rx.Var) -> rx.Component:
    return rx.card(rx.flex(
        rx.vstack(
            rx.text(mail["subject"], weight="bold", size="2", overflow_wrap="anywhere"),
            rx.text("Para: ", mail["to"], size="2", overflow_wrap="anywhere"),
            rx.text(mail["received"], size="1", color=GRAY),
            rx.cond(mail["attachments"] != "", rx.hstack(
                rx.icon("paperclip", size=14), rx.text(mail["attachments"], size="1",
                                                       overflow_wrap="anywhere"),
                align="center", spacing="1")),
            spacing="1", min_width="0", flex="1"),
        rx.button(rx.icon("mail-open", size=14), "Abrir", size="2", variant="soft",
                  on_click=M.open(mail["id"]), class_name="open-mail"),
        gap="3", align="center", justify="between", wrap="wrap"),
        width="100%", class_name="sandbox-mail")


def file_row(item: rx.Var) -> rx.Component:
    return rx.flex(
        rx.text(item["name"], " (", item["size"], ")", size="2", overflow_wrap="anywhere"),
        rx.button(rx.icon("download", size=14), "Descargar", size="1",
                  on_click=M.download(item["name"]), class_name="download-attachment"),
        gap="2", align="center", justify="between", wrap="wrap", width="100%")


def mail_dialog() -> rx.Component:
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title("Correo recibido", size="4"),
        rx.vstack(
            rx.text(rx.text.strong("Asunto: "), M.opened["subject"], size="2",
                    overflow_wrap="anywhere", id="opened-subject"),
            rx.text(rx.text.strong("Para: "), M.opened["to"], size="2"),
            rx.text(rx.text.strong("De: "), M.opened["sender"], size="2"),
            rx.text(rx.text.strong("Recibido: "), M.opened["received"], size="2"),
            rx.box(rx.text(M.opened["text"], size="2", white_space="pre-wrap"),
                   padding="0.75em", border_radius="8px", width="100%",
                   background=rx.color("gray", 2), id="opened-text"),
            rx.text("Adjuntos", weight="bold", size="2"),
            rx.foreach(M.opened_files, file_row),
            spacing="2", width="100%"),
        rx.flex(rx.dialog.close(rx.button("Cerrar", variant="soft")), justify="end",
                margin_top="1em"),
        max_width="640px"), open=M.dialog_open, on_open_change=M.set_dialog_open)


@app_page("Correo de pruebas")
def sandbox_mail_page() -> rx.Component:
    return rx.vstack(
        rx.text("Con el sandbox de la DIAN los correos a tus clientes no salen de este equipo: "
                "los recibe el servidor de correo local y aquí los ves, con el ZIP que "
                "recibiría el cliente.", size="2"),
        rx.cond(~M.available, rx.callout(
            "El correo de pruebas solo existe con el sandbox de la DIAN.", icon="info",
            color_scheme="amber")),
        rx.cond(M.error != "", rx.callout(M.error, icon="triangle-alert", color_scheme="red")),
        rx.cond(M.mails.length() == 0,  # type: ignore[attr-defined]
                rx.text(rx.cond(M.loading, "Cargando…", "Aún no hay correos."), size="2",
                        color=GRAY, id="no-mail"),
                rx.vstack(rx.foreach(M.mails, mail_card), spacing="2", width="100%",
                          id="sandbox-mail-list")),
        rx.button(rx.icon("refresh-cw", size=14), "Actualizar", variant="soft",
                  on_click=M.load, id="refresh-mail"),
        mail_dialog(),
        spacing="3", width="100%", max_width="960px")
