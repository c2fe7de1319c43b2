"""Salted, slow password hashing with the standard library's scrypt."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import lru_cache

# n=2**17, r=8, p=1 costs 128 MiB and a few hundred ms per hash: slow for guessing
# (OWASP's scrypt minimum), still fine for one login. Older hashes are upgraded on login.
COST_N, _R, _P = 2**17, 8, 1
_DKLEN = 32


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    # hashlib refuses more than 32 MiB unless told: allow what the parameters need.
    maxmem = 128 * r * (n + p + 2) + 1024 * 1024
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=dklen,
                          maxmem=maxmem)


def hash_password(password: str, *, salt: bytes | None = None, n: int = COST_N) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = _scrypt(password, salt, n, _R, _P, _DKLEN)
    return f"scrypt${n}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt" or int(n) > COST_N or int(r) > _R or int(p) > _P:
            return False  # a tampered row must not make us allocate gigabytes
        salt = base64.b64decode(salt_b64)
        expected = base64.b64decode(digest_b64)
        actual = _scrypt(password, salt, int(n), int(r), int(p), len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def needs_rehash(stored: str) -> bool:
    """True for a hash made with weaker parameters than today's."""
    parts = stored.split("$")
    return len(parts) != 6 or parts[0] != "scrypt" or parts[1:4] != [str(COST_N), str(_R),
                                                                        str(_P)]


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash of a random password, verified against when the email is unknown so that
    unknown emails take as long as wrong passwords (no user enumeration by timing)."""
    return hash_password(secrets.token_urlsafe(16))


# scrypt reads the whole password: a bound keeps a megabyte "password" from costing more.
MAX_PASSWORD_LENGTH = 256


def password_problem(password: str) -> str | None:
    """Spanish reason a new password is too weak (or too long), or None."""
    if len(password) < 8:
        return "La contraseña debe tener al menos 8 caracteres."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"La contraseña admite máximo {MAX_PASSWORD_LENGTH} caracteres."
    if password.isdigit() or password.isalpha():
        return "La contraseña debe combinar letras y números o símbolos."
    return None
