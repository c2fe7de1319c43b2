"""The project's exception tree, translated to Spanish messages at the UI edge.

    LoggroError
    ├── ValidationError        input that breaks a rule; carries field -> Spanish message
    ├── NotFoundError          a row that does not exist in the caller's organization
    ├── ConflictError          an action refused by the current state (e.g. delete referenced row)
    ├── AuthError              bad credentials, throttled account, expired session
    ├── PermissionDenied       the user's role does not allow the action
    ├── DianRejected           DIAN (or the sandbox) refused a document; carries rule codes
    ├── DianUnavailable        DIAN could not be reached; the caller retries later
    └── PaymentError           a payment gateway refused or failed

Messages are user-facing Spanish; they never contain secrets.
"""

from __future__ import annotations


class LoggroError(Exception):
    """Base of every error the project raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(LoggroError):
    """One or more fields are invalid; `errors` maps field name to a Spanish message."""

    def __init__(self, errors: dict[str, str] | str, field: str | None = None) -> None:
        if isinstance(errors, str):
            errors = {field or "__all__": errors}
        self.errors: dict[str, str] = dict(errors)
        super().__init__("; ".join(self.errors.values()))


class NotFoundError(LoggroError):
    pass


class ConflictError(LoggroError):
    pass


class AuthError(LoggroError):
    pass


class PermissionDenied(LoggroError):
    pass


class DianRejected(LoggroError):
    def __init__(self, message: str, rules: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.rules = list(rules or [])


class DianUnavailable(LoggroError):
    pass


class PaymentError(LoggroError):
    pass


def not_saved(errors: dict[str, str], labels: dict[str, str]) -> str:
    """What a refused form says: nothing was saved, and which fields stopped it."""
    named = [labels.get(field, "") for field in errors if field != "__all__"]
    named = [n for n in dict.fromkeys(named) if n]
    if not named:
        return "No se guardó ningún cambio: revisa los campos marcados."
    return f"No se guardó ningún cambio: revisa {', '.join(named)}."
