"""The local stand-ins the app talks to by default, started and stopped together.

`python -m loggro_app.local_stack run -- REFLEX ARGS...` starts localstripe (Stripe API),
the PSE / cash gateway simulator, the DIAN sandbox, the SMTP server and the hotel PMS
simulator (Loggro Alojamientos), each on 127.0.0.1
in its own process group; registers the Stripe webhook; then runs the app with the
environment pointing at them, and stops everything when the app stops (Ctrl+C included).
Test fixtures use `LocalStack` directly, on free ports.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from loggro_app.dian.client import SERVICE_PATH
from loggro_app.payments.config import DEV_GATEWAY_SECRET, DEV_STRIPE_WEBHOOK_SECRET

STRIPE_EVENTS = ["payment_intent.succeeded", "payment_intent.payment_failed",
                 "payment_intent.canceled"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Service:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def start_service(name: str, argv: list[str], port: int, health_path: str, env: dict[str, str],
                  log_dir: Path, timeout: float = 60) -> Service:
    log_path = log_dir / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    service = Service(name, port, process, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} terminó al iniciar:\n{log_path.read_text()[-2000:]}")
        try:
            if httpx.get(service.url + health_path, timeout=1).status_code < 500:
                return service
        except httpx.HTTPError:
            time.sleep(0.2)
    stop_service(service)
    raise RuntimeError(f"{name} no respondió en {timeout} s")


def stop_group(process: subprocess.Popen[bytes], timeout: float = 15) -> None:
    """Stop a process started in its own session, and its children, by its PID."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def stop_service(service: Service) -> None:
    stop_group(service.process)


@dataclass
class LocalStack:
    """localstripe, the gateway simulator, the DIAN sandbox, the SMTP server and the PMS
    simulator on 127.0.0.1."""

    log_dir: Path
    app_url: str  # where webhooks are delivered: the app's own backend
    stripe_port: int = 0
    gateway_port: int = 0
    dian_port: int = 0
    dian_db: str = ":memory:"  # make run keeps the sandbox's DIAN state in a file
    smtp_port: int = 0
    smtp_admin_port: int = 0
    smtp_store: str = ""  # the received messages; default: <log_dir>/smtp
    pms_port: int = 0
    pms_data_dir: str = ""  # the PMS simulator's state; default: <log_dir>/pms
    services: list[Service] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        """What the app's process needs to talk to these stand-ins."""
        by_name = {s.name: s for s in self.services}
        env = {"LOGGRO_PUBLIC_URL": self.app_url}
        if "localstripe" in by_name:
            env["STRIPE_API_BASE"] = by_name["localstripe"].url
        if "gateway" in by_name:
            env["LOGGRO_GATEWAY_URL"] = by_name["gateway"].url
        if "dian-sandbox" in by_name:
            env["LOGGRO_DIAN_ENV"] = "sandbox"
            env["LOGGRO_DIAN_URL"] = by_name["dian-sandbox"].url + SERVICE_PATH
        if "smtp" in by_name:  # the service's port is its admin API; SMTP is smtp_port
            env.update({"LOGGRO_SMTP_HOST": "127.0.0.1", "LOGGRO_SMTP_PORT": str(self.smtp_port),
                        "LOGGRO_SMTP_SECURITY": "none",
                        "LOGGRO_SMTP_ADMIN_URL": by_name["smtp"].url})
        if "pms" in by_name:  # what Parámetros can offer as the PMS's address
            env["LOGGRO_PMS_SIMULATOR_URL"] = by_name["pms"].url
        return env

    def start(self) -> LocalStack:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        base = {**os.environ, "LOGGRO_GATEWAY_SECRET":
                os.environ.get("LOGGRO_GATEWAY_SECRET") or DEV_GATEWAY_SECRET}
        python = sys.executable
        try:
            port = self.stripe_port or free_port()
            self.services.append(start_service(
                "localstripe", [python, "-m", "loggro_app.standins.localstripe.launcher",
                                "--port", str(port)], port, "/js.stripe.com/v3/", base,
                self.log_dir))
            self.register_stripe_webhook()
            port = self.gateway_port or free_port()
            self.services.append(start_service(
                "gateway",
                [python, "-m", "loggro_app.standins.gateway.server", "--port", str(port)],
                port, "/health", base, self.log_dir))
            port = self.dian_port or free_port()
            # The SMTP port is chosen now: the sandbox's simulated supplier mails through it.
            self.smtp_port = self.smtp_port or free_port()
            self.services.append(start_service(
                "dian-sandbox",
                [python, "-m", "loggro_app.standins.dian_sandbox", "--port", str(port),
                 "--db", self.dian_db, "--smtp", f"127.0.0.1:{self.smtp_port}"], port,
                "/admin/health", base, self.log_dir))
            self.services.append(self.start_smtp(base))
            self.services.append(self.start_pms(base))
        except BaseException:
            self.stop()
            raise
        return self

    def start_smtp(self, env: dict[str, str]) -> Service:
        """The SMTP server; its health is asked on the admin port, opened after SMTP's."""
        self.smtp_port = self.smtp_port or free_port()
        admin_port = self.smtp_admin_port or free_port()
        store = self.smtp_store or str(self.log_dir / "smtp")
        return start_service(
            "smtp", [sys.executable, "-m", "loggro_app.standins.smtp", "--port",
                     str(self.smtp_port), "--admin-port", str(admin_port), "--store", store],
            admin_port, "/admin/health", env, self.log_dir)

    def start_pms(self, env: dict[str, str]) -> Service:
        """The hotel PMS simulator (Loggro Alojamientos), keeping its state in a folder."""
        port = self.pms_port or free_port()
        data_dir = self.pms_data_dir or str(self.log_dir / "pms")
        return start_service(
            "pms", [sys.executable, "-m", "loggro_app.standins.pms", "--port", str(port),
                    "--data-dir", data_dir], port, "/health", env, self.log_dir)

    def register_stripe_webhook(self) -> None:
        stripe = next(s for s in self.services if s.name == "localstripe")
        secret = os.environ.get("STRIPE_WEBHOOK_SECRET") or DEV_STRIPE_WEBHOOK_SECRET
        answer = httpx.post(f"{stripe.url}/_config/webhooks/loggro", data={
            "url": f"{self.app_url}/api/payments/stripe/webhook", "secret": secret,
            "events[]": STRIPE_EVENTS}, timeout=10)
        answer.raise_for_status()

    def stop(self) -> None:
        for service in reversed(self.services):
            stop_service(service)
        self.services.clear()

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def default_stack(data: Path, port: int) -> LocalStack:
    """The stand-ins on their usual ports (each overridable by its variable), their state
    and logs under `data`; webhooks go to the app on `port`."""
    return LocalStack(log_dir=data / "logs", app_url=f"http://127.0.0.1:{port}",
                      stripe_port=int(os.environ.get("LOCALSTRIPE_PORT") or 8420),
                      gateway_port=int(os.environ.get("GATEWAY_PORT") or 8430),
                      dian_port=int(os.environ.get("DIAN_SANDBOX_PORT") or 8765),
                      dian_db=str(data / "dian-sandbox.db"),
                      smtp_port=int(os.environ.get("SMTP_PORT") or 8025),
                      smtp_admin_port=int(os.environ.get("SMTP_ADMIN_PORT") or 8026),
                      smtp_store=str(data / "smtp"),
                      pms_port=int(os.environ.get("PMS_SIMULATOR_PORT") or 8440),
                      pms_data_dir=str(data / "pms"))


def run(reflex_args: list[str]) -> int:
    """Start the stand-ins, run the app in the foreground, stop them all afterwards. Their
    state goes with the app's (LOGGRO_DATA_DIR, `data/` by default): a drill on a folder
    of its own never meets the DIAN numbers another run left in data/."""
    data = Path(os.environ.get("LOGGRO_DATA_DIR") or "data")
    stack = default_stack(data, int(os.environ.get("PORT") or 3000))
    with stack:
        for service in stack.services:
            print(f"  {service.name}: {service.url}")
        app = subprocess.Popen([sys.executable, "-m", "reflex", *reflex_args],
                               env={**os.environ, **stack.env()}, start_new_session=True)

        def forward(signum: int, _frame: object) -> None:
            os.killpg(app.pid, signal.SIGTERM)

        signal.signal(signal.SIGINT, forward)
        signal.signal(signal.SIGTERM, forward)
        return app.wait()


def serve() -> int:
    """Only the stand-ins, until SIGTERM or Ctrl+C: their container in deploy/compose.yaml,
    where the app and the workflow workers run in containers of their own."""
    import threading

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with default_stack(Path("data"), int(os.environ.get("PORT") or 3000)) as stack:
        for service in stack.services:
            print(f"  {service.name}: {service.url}", flush=True)
        stop.wait()
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if args == ["standins"]:
        sys.exit(serve())
    if not args or args[0] != "run":
        sys.exit("uso: python -m loggro_app.local_stack run -- ARGUMENTOS_DE_REFLEX\n"
                 "     python -m loggro_app.local_stack standins")
    sys.exit(run([a for a in args[1:] if a != "--"]))
