"""Configuración → Organización: Información General, Parámetros and Certificado tabs."""

from __future__ import annotations

import reflex as rx

from loggro_app.components.catalog_table import choice
from loggro_app.components.forms import labeled, text_input
from loggro_app.components.hotel_integration import hotel_integration_card
from loggro_app.components.layout import app_page
from loggro_app.core.limits import MAX_ADDRESS, PHONE_HINT
from loggro_app.services.organization import REGIMES, RESPONSIBILITIES, SECTORS, VERSIONS
from loggro_app.state.mail_wording import MailWordingState as M
from loggro_app.state.organization import OrganizationState as O
from loggro_app.state.reception_mailbox import ReceptionMailboxState as R

E = O.errors
# Read in the browser at click time and sent with the upload only.
CERT_PASSWORD_JS = rx.Var(_js_expr="(document.getElementById('cert-password')?.value ?? '')",
                          _var_type=str)
MAILBOX_PASSWORD_JS = rx.Var(
    _js_expr="(document.getElementById('mailbox-password')?.value ?? '')", _var_type=str)
PERSON_TYPES = [{"code": "1", "name": "Persona jurídica"}, {"code": "2", "name": "Persona natural"}]


def general_tab() -> rx.Component:
    def field(label: str, name: str, hint: str = "", **props) -> rx.Component:  # type: ignore[no-untyped-def]
        return labeled(label, text_input(getattr(O, name), lambda v: O.set_field(name, v),
                                         f"org-{name}", **props), E, name, hint=hint)

    return rx.vstack(
        rx.grid(
            labeled("NIT", rx.input(value=O.nit, read_only=True, width="100%", id="org-nit")),
            field("Razón social", "legal_name"),
            field("Nombre comercial", "trade_name"),
            labeled("Tipo de persona", choice(PERSON_TYPES, O.person_type,
                                              lambda v: O.set_field("person_type", v),
                                              "org-person-type"), E, "person_type"),
            labeled("Régimen", choice([{"code": c, "name": n} for c, n in REGIMES.items()],
                                      O.tax_regime, lambda v: O.set_field("tax_regime", v),
                                      "org-regime"), E, "tax_regime"),
            labeled("Responsabilidades fiscales (RUT)", rx.vstack(*[
                rx.checkbox(f"{code} · {name}", checked=O.responsibility_codes.contains(code),
                            on_change=lambda on, c=code: O.toggle_responsibility(c, on),
                            size="1", id=f"resp-{code}")
                for code, name in RESPONSIBILITIES.items()], spacing="1"),
                E, "tax_responsibilities"),
            labeled("Sector económico", choice([{"code": x, "name": x} for x in SECTORS],
                                               O.economic_sector,
                                               lambda v: O.set_field("economic_sector", v),
                                               "org-sector"), E, "economic_sector"),
            field("Actividad económica (CIIU)", "economic_activity", "Código de 4 dígitos.",
                  input_mode="numeric"),
            field("Dirección", "address", hint=f"Máximo {MAX_ADDRESS} caracteres."),
            labeled("Municipio", rx.fragment(
                rx.input(value=O.municipality_label, on_change=O.set_municipality_text,
                         width="100%", id="org-municipality",
                         custom_attrs={"list": "org-municipality-options"}),
                rx.el.datalist(rx.foreach(O.municipality_suggestions,
                                          lambda m: rx.el.option(value=m)),
                               id="org-municipality-options")), E, "municipality_code",
                hint="Escribe y elige de la lista, p. ej. «Medellín (Antioquia)»."),
            field("Correo electrónico", "email"),
            field("Teléfono", "phone", hint=PHONE_HINT, input_mode="tel"),
            columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
        ),
        rx.button("Guardar", on_click=O.save_general, id="save-general"),
        spacing="3", width="100%", padding_y="1em",
    )


def confirm_dialog() -> rx.Component:
    return rx.alert_dialog.root(rx.alert_dialog.content(
        rx.alert_dialog.title("Activar facturación electrónica"),
        rx.alert_dialog.description(
            "Al activar la facturación electrónica con validación previa, todos los documentos "
            "de la organización se enviarán a la DIAN para su validación. Esta decisión no se "
            "puede revertir."),
        rx.checkbox("Entiendo que esta activación no se puede revertir",
                    checked=O.confirm_checked, on_change=O.set_confirm_checked,
                    id="confirm-irreversible", margin_top="1em"),
        rx.flex(rx.alert_dialog.cancel(rx.button("Cancelar", variant="soft",
                                                 color_scheme="gray")),
                rx.button("Activar", on_click=O.confirm_enable, disabled=~O.confirm_checked,
                          id="confirm-enable"),
                justify="end", gap="2", margin_top="1em"),
        max_width="460px",
    ), open=O.confirm_open, on_open_change=O.set_confirm_open)


def parameters_tab(provider_modal: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.card(rx.vstack(
            rx.hstack(rx.switch(checked=O.e_invoicing_enabled, on_change=O.ask_enable,
                                id="e-invoicing-switch"),
                      rx.text("La Organización maneja Facturación Electrónica", weight="medium"),
                      align="center"),
            labeled("Versión", choice([{"code": c, "name": n} for c, n in VERSIONS.items()],
                                      O.version, O.set_version, "e-invoicing-version")),
            rx.cond(O.e_invoicing_enabled,
                    rx.callout(rx.text("Activa desde ", O.e_invoicing_since,
                                       ". No se puede desactivar."),
                               icon="lock", color_scheme="teal", id="e-invoicing-on"),
                    rx.callout("Activarla es irreversible: completa antes la habilitación.",
                               icon="triangle-alert", color_scheme="amber")),
            spacing="3", width="100%")),
        hotel_integration_card(),
        provider_modal,
        confirm_dialog(),
        spacing="3", width="100%", padding_y="1em",
    )


def certificate_tab() -> rx.Component:
    return rx.vstack(
        rx.cond(O.cert_subject != "",
                rx.card(rx.vstack(rx.text("Titular: ", O.cert_subject, size="2", id="cert-subject",
                                          word_break="break-word"),
                                  rx.text("Vigencia: ", O.cert_valid, size="2", id="cert-valid"),
                                  spacing="1")),
                rx.callout("La organización no tiene certificado de firma.", icon="info")),
        rx.cond(O.cert_warning != "", rx.callout(O.cert_warning, icon="triangle-alert",
                                                 color_scheme="amber", id="cert-warning")),
        rx.text("Subir certificado (.p12 / .pfx)", weight="medium"),
        rx.upload(rx.text("Arrastra el archivo o haz clic para seleccionarlo", size="2"),
                  id="p12", max_files=1, accept={"application/x-pkcs12": [".p12", ".pfx"]},
                  border=f"1px dashed {rx.color('gray', 8)}", padding="1em", width="100%"),
        rx.text(rx.selected_files("p12"), size="1"),
        # Not bound to the state: the password is read from the field only when uploading.
        labeled("Contraseña del certificado", rx.input(
            type="password", id="cert-password", width="100%", auto_complete="off")),
        rx.cond(O.cert_error != "", rx.callout(O.cert_error, color_scheme="red",
                                               icon="triangle-alert", id="cert-error")),
        rx.flex(rx.button("Guardar certificado", id="upload-cert",
                          on_click=O.upload_certificate(rx.upload_files(upload_id="p12"),
                                                       CERT_PASSWORD_JS)),
                rx.button("Crear certificado de desarrollo (ambiente de pruebas)",
                          variant="soft", on_click=O.create_dev_certificate, id="dev-cert",
                          white_space="normal", height="auto", padding_y="0.5em"),
                gap="2", wrap="wrap"),
        spacing="3", width="100%", padding_y="1em",
    )


def mail_tab() -> rx.Component:
    def part(label: str, name: str, area: bool = False) -> rx.Component:
        control = (rx.text_area if area else rx.input)(
            value=getattr(M, name), on_change=lambda v: M.set_part(name, v),
            debounce_timeout=300, id=f"mail-{name}", width="100%",
            **({"rows": "4"} if area else {}))
        return rx.vstack(rx.text(label, size="2", weight="medium"), control,
                         rx.cond(M.errors.contains(name),  # type: ignore[attr-defined]
                                 rx.text(M.errors[name], color="red", size="1")),
                         spacing="1", width="100%")

    return rx.vstack(
        rx.text("El correo que lleva cada factura o nota a tu cliente. Escríbelo con tus "
                "palabras; el número del documento y el archivo ZIP se agregan solos.",
                size="2"),
        part("Saludo", "greeting"), part("Texto", "text", area=True),
        part("Despedida", "closing"),
        rx.text("Vista previa", size="2", weight="bold"),
        rx.box(rx.text(M.preview, white_space="pre-wrap", size="2", id="mail-preview"),
               padding="0.75em", border=f"1px solid {rx.color('gray', 6)}",
               border_radius="8px", width="100%"),
        rx.button("Guardar", on_click=M.save, id="save-mail-wording"),
        rx.cond(M.saved != "", rx.text(M.saved, color="green", size="2")),
        spacing="3", width="100%", max_width="720px", padding_top="1em")


def reception_tab() -> rx.Component:
    def field(label: str, name: str, **props) -> rx.Component:  # type: ignore[no-untyped-def]
        return rx.vstack(
            rx.text(label, size="2", weight="medium"),
            rx.input(value=getattr(R, name), on_change=lambda v: R.set_field(name, v),
                     id=f"mailbox-{name}", width="100%", **props),
            rx.cond(R.errors.contains(name),  # type: ignore[attr-defined]
                    rx.text(R.errors[name], color="red", size="1")),
            spacing="1", width="100%")

    return rx.vstack(
        rx.text("La dirección a la que tus proveedores envían sus facturas electrónicas (la "
                "que registraste ante la DIAN). Si la lees por IMAP, escribe el servidor y la "
                "cuenta: revisamos el buzón cada pocos segundos y registramos lo que llega.",
                size="2"),
        field("Correo de recepción", "address", type="email"),
        field("Servidor IMAP (vacío: no leerlo por IMAP)", "host"),
        rx.flex(field("Puerto", "port", input_mode="numeric"), field("Usuario", "user"),
                gap="3", width="100%"),
        rx.checkbox("Conexión cifrada (TLS)", checked=R.tls, on_change=R.set_tls,
                    id="mailbox-tls"),
        # Not bound to the state: read from the field only when saving.
        rx.vstack(rx.text(rx.cond(R.credentials_stored, "Contraseña (guardada; escribe otra para "
                                  "cambiarla)", "Contraseña"), size="2", weight="medium"),
                  rx.input(type="password", id="mailbox-password", width="100%",
                           auto_complete="off"),
                  spacing="1", width="100%"),
        rx.cond(R.errors.contains("tls"),  # type: ignore[attr-defined]
                rx.text(R.errors["tls"], color="red", size="1")),
        rx.cond(R.last_polled != "", rx.text("Última revisión: ", R.last_polled, size="1",
                                             id="mailbox-last-polled")),
        rx.cond(R.last_error != "", rx.callout(R.last_error, color_scheme="amber",
                                               icon="triangle-alert", id="mailbox-error")),
        rx.button("Guardar", on_click=R.save(MAILBOX_PASSWORD_JS), id="save-mailbox"),
        rx.cond(R.saved != "", rx.text(R.saved, color="green", size="2")),
        rx.divider(),
        rx.hstack(rx.switch(checked=R.auto_acknowledge, on_change=R.set_auto_acknowledge,
                            id="mailbox-auto-acknowledge"),
                  rx.text("Enviar el acuse de recibo (030) a la DIAN apenas llega cada factura, "
                          "a nombre de quien recibió la última vez", size="2"),
                  align="center", spacing="2"),
        # Mounted when the tab opens, by a click or by ?tab=recepcion.
        on_mount=R.load, spacing="3", width="100%", max_width="720px", padding_top="1em")


def organization_view(provider_modal: rx.Component) -> rx.Component:
    return rx.tabs.root(
        rx.tabs.list(rx.tabs.trigger("Información General", value="general"),
                     rx.tabs.trigger("Parámetros", value="parametros", id="tab-parametros"),
                     rx.tabs.trigger("Certificado", value="certificado", id="tab-certificado"),
                     rx.tabs.trigger("Correo al cliente", value="correo", id="tab-correo",
                                     on_click=M.load),
                     rx.tabs.trigger("Recepción de facturas", value="recepcion",
                                     id="tab-recepcion"),
                     overflow_x="auto", max_width="100%"),
        rx.tabs.content(general_tab(), value="general"),
        rx.tabs.content(parameters_tab(provider_modal), value="parametros"),
        rx.tabs.content(certificate_tab(), value="certificado"),
        rx.tabs.content(mail_tab(), value="correo"),
        rx.tabs.content(reception_tab(), value="recepcion"),
        value=O.tab, on_change=O.set_tab, width="100%",
    )


@app_page("Organización")
def organization_page() -> rx.Component:
    from loggro_app.pages.provider_modal import provider_modal

    return organization_view(provider_modal())
