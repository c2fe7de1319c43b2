"""The Reflex app: pages, each protected page checking the session on load."""

from __future__ import annotations

import reflex as rx
from reflex.utils import prerequisites

from loggro_app.api import api
from loggro_app.durable.engine import lifespan
from loggro_app.error_toast import backend_exception_handler
from loggro_app.pages.background_work import background_work_page
from loggro_app.pages.customers import customers_page
from loggro_app.pages.enablement import enablement_page
from loggro_app.pages.home import HomeState, home_page
from loggro_app.pages.items import items_page, payment_methods_page
from loggro_app.pages.login import login_page
from loggro_app.pages.not_found import TITLE as NOT_FOUND_TITLE
from loggro_app.pages.not_found import not_found_page
from loggro_app.pages.numbering import numbering_page
from loggro_app.pages.organization import organization_page
from loggro_app.pages.portal import portal_page
from loggro_app.pages.received import received_detail_page, received_page
from loggro_app.pages.sales import sales_page
from loggro_app.pages.sales_document import new_sale_page, sale_document_page
from loggro_app.pages.sandbox_mail import sandbox_mail_page
from loggro_app.pages.signup import SignupState, signup_page
from loggro_app.private_files import make_private
from loggro_app.security_headers import security_headers
from loggro_app.settings import get_settings
from loggro_app.state.auth import AuthState, LoginState
from loggro_app.state.background_work import BackgroundWorkState
from loggro_app.state.counters import CountersState
from loggro_app.state.customers import CustomersState
from loggro_app.state.enablement import EnablementState
from loggro_app.state.hotel_integration import HotelIntegrationState
from loggro_app.state.items import ItemsState, PaymentMethodsState
from loggro_app.state.numbering import NumberingState
from loggro_app.state.organization import OrganizationState
from loggro_app.state.portal import PortalState
from loggro_app.state.purchase_events import PurchaseEventsState
from loggro_app.state.received import ReceivedDetailState, ReceivedState
from loggro_app.state.sales import SalesListState
from loggro_app.state.sales_document import SalesDocumentState
from loggro_app.state.sales_form import SalesFormState
from loggro_app.state.sandbox_mail import SandboxMailState

# Page state (.states/) and the data folder hold user data: owner-only, before any is written.
make_private(get_settings().data_dir, prerequisites.get_states_dir())

app = rx.App(theme=rx.theme(accent_color="teal", radius="medium"),
             api_transformer=[api, security_headers], html_lang="es",
             backend_exception_handler=backend_exception_handler, stylesheets=["/touch.css"])
app.add_page(not_found_page, route="404", title=NOT_FOUND_TITLE)

app.add_page(login_page, route="/login", title="Ingresar · Loggro",
             on_load=[AuthState.redirect_if_logged_in, LoginState.forget_stale_busy])
app.add_page(signup_page, route="/registro", title="Crear cuenta · Loggro",
             on_load=SignupState.forget_stale_busy)


def protected(component, route: str, title: str, on_load=None) -> None:  # type: ignore[no-untyped-def]
    extra = on_load if isinstance(on_load, list) else [on_load] if on_load is not None else []
    events = [AuthState.check_login, CountersState.refresh, *extra]
    app.add_page(component, route=route, title=f"{title} · Loggro", on_load=events)


protected(home_page, "/", "Inicio", HomeState.load)
protected(sales_page, "/ventas", "Ventas", SalesListState.load)
protected(new_sale_page, "/ventas/nuevo", "Nuevo documento", SalesFormState.load_new)
protected(sale_document_page, "/ventas/documento/[id]", "Documento", SalesDocumentState.load)
protected(received_page, "/compras/recibidas", "Facturas recibidas", ReceivedState.load)
protected(received_detail_page, "/compras/recibidas/[id]", "Factura recibida",
          [ReceivedDetailState.load, PurchaseEventsState.load])
protected(customers_page, "/contactos", "Contactos", CustomersState.load)
protected(items_page, "/inventario", "Inventario", ItemsState.load)
protected(payment_methods_page, "/configuracion/formas-de-pago", "Formas de Pago",
          PaymentMethodsState.load)
protected(organization_page, "/configuracion/organizacion", "Organización",
          [OrganizationState.load, HotelIntegrationState.load])
protected(numbering_page, "/configuracion/consecutivos", "Consecutivos de Facturación",
          NumberingState.load)
protected(background_work_page, "/configuracion/trabajos", "Trabajo en segundo plano",
          BackgroundWorkState.load)
protected(enablement_page, "/habilitacion", "Habilitación DIAN", EnablementState.load)
protected(portal_page, "/portal", "Mis planes y pagos", PortalState.load)
protected(sandbox_mail_page, "/correo-de-pruebas", "Correo de pruebas", SandboxMailState.load)

app.register_lifespan_task(lifespan)
