"""A local DIAN (WcfDianCustomerServices) that speaks the same SOAP/WS-Security protocol
and validates like DIAN, with its own SQLite registry. See docs/dian-sandbox.md.

    python -m loggro_app.standins.dian_sandbox --port 8765
    from loggro_app.standins.dian_sandbox.app import create_app   # ASGI app for fixtures

This package must not import sqlmodel or reflex.
"""
