"""A local SMTP server that stores every message it accepts, for development and tests.

    python -m loggro_app.standins.smtp --port 8025 --admin-port 8026 --store data/smtp

It listens on 127.0.0.1 only. Each accepted message is kept as `<id>.eml` with a row in an
SQLite index; a JSON admin API on its own port lists and reads them and injects faults per
recipient (refuse with 5xx, defer with 4xx a number of times). See docs/mail.md.

This package must not import sqlmodel or reflex.
"""
