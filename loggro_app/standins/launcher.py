"""Start and stop the local payment servers (localstripe, gateway simulator) as subprocesses.

Used by `make run` and by the integration fixtures. Each server listens on 127.0.0.1 on a
port chosen here, runs in its own session so stopping it touches nothing else, and is
stopped by whoever started it (`stop()` or the context manager).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from types import TracebackType

import httpx


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LocalServer:
    url: str
    port: int
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self.process.stderr:
            self.process.stderr.close()

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def launch(
    module: str, args: list[str], probe_path: str, *, env: dict[str, str] | None = None,
    port: int | None = None, timeout: float = 20.0,
) -> LocalServer:
    """Run `python -m module --port N *args` and wait until GET probe_path answers 200."""
    port = port or free_port()
    # stderr goes to a temporary file, not a pipe nobody reads (a full pipe would block it).
    errors = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", module, "--port", str(port), *args],
        stdout=subprocess.DEVNULL,
        stderr=errors,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    server = LocalServer(f"http://127.0.0.1:{port}", port, process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if httpx.get(server.url + probe_path, timeout=1.0).status_code == 200:
                errors.close()
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.stop()
    errors.seek(0)
    tail = errors.read()[-2000:].decode("utf-8", "replace")
    errors.close()
    raise RuntimeError(f"{module} did not start on port {port}: {tail}")


def start_simulator(
    secret: str,
    *,
    port: int | None = None,
    api_key: str = "",
    sweep_seconds: float = 1.0,
    retry_backoff: float = 0.5,
) -> LocalServer:
    """The gateway simulator; the secrets reach it by environment, never on the command line."""
    env = {"LOGGRO_GATEWAY_SECRET": secret, "LOGGRO_GATEWAY_API_KEY": api_key}
    args = [
        "--notify-secret-env", "LOGGRO_GATEWAY_SECRET",
        "--api-key-env", "LOGGRO_GATEWAY_API_KEY",
        "--sweep-seconds", str(sweep_seconds),
        "--retry-backoff", str(retry_backoff),
    ]
    return launch("loggro_app.standins.gateway.server", args, "/health", env=env, port=port)
