"""What a person sees when a handler fails unexpectedly: Spanish, no technical detail.

The full traceback goes to the log only (Reflex's default shows an English toast)."""

import logging
import traceback

import reflex as rx
from reflex_base.event import EventSpec

log = logging.getLogger("loggro_app")

UNEXPECTED_TITLE = "Ocurrió un error inesperado."
UNEXPECTED_DETAIL = ("No se completó la acción. Inténtalo de nuevo; si se repite, "
                     "escríbenos a soporte.")


def backend_exception_handler(exception: Exception) -> EventSpec:
    log.error("unexpected error in an event handler\n%s", "".join(
        traceback.format_exception(type(exception), exception, exception.__traceback__)))
    return rx.toast.error(UNEXPECTED_TITLE, description=UNEXPECTED_DETAIL,
                          position="top-center", id="backend_error")
