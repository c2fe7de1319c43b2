"""Files only the app's own user may read: page state, the database, keys, certificates.

Reflex pickles page state to `.states/` and SQLite keeps everything in one file; both are
created with the process umask, which is usually 022 (world-readable). We tighten the
umask for the whole process and fix folders that already exist.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_UMASK = 0o077
DIR_MODE, FILE_MODE = 0o700, 0o600


def make_private(*folders: Path) -> None:
    """New files 0600 and folders 0700 from now on; `folders` and their files made so."""
    os.umask(PRIVATE_UMASK)
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(DIR_MODE)
        for path in folder.iterdir():
            if path.is_file() and not path.is_symlink():
                path.chmod(FILE_MODE)


def create_private_file(path: Path) -> None:
    """Create `path` (if missing) as 0600 in a 0700 folder, whatever the umask."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
