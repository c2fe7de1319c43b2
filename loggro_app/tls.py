"""The process's TLS context for outgoing HTTPS (DIAN, the hotel PMS, gateways).

Building one reads and parses the whole CA bundle, about 30 ms of CPU; the clients are
short-lived (one per document or notice), so they share this one. Contexts are thread-safe.
"""

from __future__ import annotations

import functools
import ssl

import httpx


@functools.cache
def shared_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()
