"""Reflex configuration. The database URL is read by loggro_app.settings (REFLEX_DB_URL)."""

import reflex as rx

config = rx.Config(
    app_name="loggro_app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[rx.plugins.SitemapPlugin],
    plugins=[rx.plugins.RadixThemesPlugin()],
)
