"""Reflex configuration. The database URL is read by loggro_app.settings (REFLEX_DB_URL)."""

import reflex as rx

from loggro_app.settings import Settings

config = rx.Config(
    app_name="loggro_app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[rx.plugins.SitemapPlugin],
    plugins=[rx.plugins.RadixThemesPlugin()],
    # The websocket and credentialed CORS answer only the app's own origin (not "*").
    cors_allowed_origins=list(Settings.from_env().allowed_origins),
)
