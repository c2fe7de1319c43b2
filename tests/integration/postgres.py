"""A throw-away PostgreSQL server for the tests (Debian's binaries, 127.0.0.1, free port)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from loggro_app.local_stack import free_port


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL no está instalado: `make test` instala el paquete "
                           "postgresql de Debian.")
    return found[-1]


def _as_postgres(args: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; Debian's package creates this user.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield the server's base URL (`postgresql+psycopg://postgres@127.0.0.1:PORT`)."""
    # Not under pytest's tmp folder: that one is private to root, and the server runs as
    # the postgres user.
    workdir = Path(tempfile.mkdtemp(prefix="loggro-pg-"))
    data = workdir / "pgdata"
    data.mkdir()
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        shutil.chown(workdir, owner.pw_uid, owner.pw_gid)
        shutil.chown(data, owner.pw_uid, owner.pw_gid)
    subprocess.run(_as_postgres([_bin("initdb"), "-D", str(data), "-A", "trust", "-U",
                                 "postgres", "-E", "UTF8", "--no-locale"]),
                   check=True, capture_output=True)
    port = free_port()
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(data), "-o", options, "-w",
                                 "-l", str(data / "server.log"), "start"]),
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                       capture_output=True)
        shutil.rmtree(workdir, ignore_errors=True)
