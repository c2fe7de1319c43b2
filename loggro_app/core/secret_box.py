"""Encryption at rest for secrets kept in the database (certificate and its password,
technical keys): Fernet (AES-128-CBC + HMAC-SHA256) from `cryptography`."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from loggro_app.core.errors import LoggroError


class SecretBox:
    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def __repr__(self) -> str:
        return "SecretBox(***)"

    @staticmethod
    def new_key() -> bytes:
        return Fernet.generate_key()

    def seal(self, plain: bytes) -> bytes:
        return self._fernet.encrypt(plain)

    def open(self, sealed: bytes) -> bytes:
        try:
            return self._fernet.decrypt(sealed)
        except InvalidToken:
            raise LoggroError(
                "No se pudo descifrar un secreto guardado: la clave LOGGRO_SECRET_KEY cambió."
            ) from None

    def seal_text(self, plain: str) -> str:
        return self.seal(plain.encode("utf-8")).decode("ascii")

    def open_text(self, sealed: str) -> str:
        return self.open(sealed.encode("ascii")).decode("utf-8")
