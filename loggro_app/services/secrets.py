"""The key that encrypts secrets at rest: LOGGRO_SECRET_KEY, or a key file made once for
the embedded setup (data/secret.key, readable by its owner only). Never in code or logs."""

from __future__ import annotations

import os
from functools import lru_cache

from loggro_app.core.secret_box import SecretBox
from loggro_app.settings import get_settings


@lru_cache(maxsize=1)
def secret_box() -> SecretBox:
    key = os.environ.get("LOGGRO_SECRET_KEY", "").strip()
    if key:
        return SecretBox(key.encode("ascii"))
    path = get_settings().data_dir / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(SecretBox.new_key())
    return SecretBox(path.read_bytes().strip())
