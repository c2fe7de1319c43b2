"""The scaled topology on one machine: `make run-scale`.

`python -m loggro_app.scale_stack run` starts, each in its own process group and on
127.0.0.1: PostgreSQL and Redis from Debian's binaries (data under data/scale/), migrates
and seeds the database, starts the stand-ins as `make run` does, M workflow workers
(`python -m loggro_app.durable.worker`, executor ids worker-1..M) and the app with the
Redis state manager and N backend workers (granian). Ctrl+C or SIGTERM stop everything it
started, by PID. Test fixtures use `PostgresProcess`, `RedisProcess` and `start_worker`.

The backends run with LOGGRO_WORKFLOW_ROLE=web: they answer people and put issuing on the
queues; the workers do the issuing, the mail and the schedules (see durable/engine.py).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loggro_app.local_stack import default_stack, free_port, stop_group


def pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL no está instalado: instala el paquete postgresql de "
                           "Debian (`make debs-test`).")
    return str(found[-1])


def _as_postgres(argv: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; Debian's package creates this user.
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _reachable_by_postgres(folder: Path) -> None:
    """As root the server runs as the postgres user, who must traverse every parent of its
    cluster: search permission only (0711), listing stays denied and files stay 0600."""
    if os.geteuid() != 0:
        return
    for parent in [folder, *folder.parents]:
        if parent == Path("/"):
            break
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod((mode & 0o7777) | 0o011)


def wait_until(check: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} no respondió en {timeout:.0f} s")


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class PostgresProcess:
    """A PostgreSQL cluster in `data_dir`, served on 127.0.0.1:`port` by a child process."""

    data_dir: Path
    port: int = 0
    database: str = "loggro"
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return self.url_for(self.database)

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def init(self) -> None:
        if (self.data_dir / "PG_VERSION").exists():
            return
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        _reachable_by_postgres(self.data_dir.parent)
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            shutil.chown(self.data_dir, owner.pw_uid, owner.pw_gid)
        subprocess.run(_as_postgres([pg_bin("initdb"), "-D", str(self.data_dir), "-A", "trust",
                                     "-U", "postgres", "-E", "UTF8", "--no-locale"]),
                       check=True, capture_output=True)

    def start(self) -> PostgresProcess:
        self.init()
        _reachable_by_postgres(self.data_dir.parent)
        self.port = self.port or free_port()
        log = (self.data_dir.parent / "postgres.log").open("ab")
        self.process = subprocess.Popen(
            _as_postgres([pg_bin("postgres"), "-D", str(self.data_dir), "-p", str(self.port),
                          "-k", str(self.data_dir), "-c", "listen_addresses=127.0.0.1"]),
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
        log.close()
        wait_until(self._ready, "PostgreSQL")
        self.create_database(self.database)
        return self

    def _ready(self) -> bool:
        import psycopg

        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError("PostgreSQL terminó al iniciar: ver data/scale/postgres.log")
        try:
            with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                                 dbname="postgres", connect_timeout=2):
                return True
        except psycopg.OperationalError:
            return False

    def create_database(self, name: str) -> None:
        """Create database `name` unless it exists (names are ours, never a user's)."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                             dbname="postgres", autocommit=True) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                 (name,)).fetchone()
            if found is None:
                conn.execute(f'CREATE DATABASE "{name}"')

    def stop(self) -> None:
        # SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for every client to leave.
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        # As root the child is runuser, which may return before the server has let go of
        # its port: a restart on the same port would find it taken.
        wait_until(lambda: not _port_open(self.port), "el cierre de PostgreSQL", 30)


@dataclass
class RedisProcess:
    """redis-server on 127.0.0.1:`port`, its snapshot in `data_dir`."""

    data_dir: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> RedisProcess:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not Path(binary).exists():
            raise RuntimeError("Redis no está instalado: instala el paquete redis-server de "
                               "Debian (`make debs-test`).")
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.port = self.port or free_port()
        log = (self.data_dir / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(self.data_dir), "--save", "60 1", "--appendonly", "no",
             "--daemonize", "no"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
        log.close()
        wait_until(lambda: self._alive() and _port_open(self.port), "Redis", 30)
        return self

    def _alive(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"Redis terminó al iniciar: ver {self.data_dir}/redis.log")
        return True

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process)


def lower_priority(pid: int, nice: int) -> None:
    """`nice` for the process and for its session. With the kernel's autogroups (Debian's
    default) a process's nice only counts within its own session, and a worker runs in a
    session of its own: without the session's nice it takes an equal share of the cores."""
    if nice <= 0:
        return
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, pid, nice)
    with contextlib.suppress(OSError):  # no autogroups here: the process's nice alone
        Path(f"/proc/{pid}/autogroup").write_text(str(nice))


def start_worker(name: str, env: dict[str, str], log_dir: Path) -> subprocess.Popen[bytes]:
    """A workflow worker with the stable executor id `name`; its output in <log_dir>.

    On a machine the backends share, the workers run at a lower priority (LOGGRO_WORKER_NICE,
    10 unless set; 0 for none): people's clicks and the PMS's requests come first, issuing
    takes the rest of the cores."""
    log_dir.mkdir(parents=True, exist_ok=True)
    with (log_dir / f"{name}.log").open("ab") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "loggro_app.durable.worker"],
            env={**env, "LOGGRO_EXECUTOR_ID": name, "LOGGRO_WORKFLOW_ROLE": "worker"},
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
    lower_priority(worker.pid, int(env.get("LOGGRO_WORKER_NICE") or 10))
    return worker


def prepare_database(env: dict[str, str]) -> None:
    """Migrations, then the demo data (both idempotent), on the database of `env`."""
    for module in ("loggro_app.migrate", "loggro_app.seed"):
        subprocess.run([sys.executable, "-m", module], env=env, check=True)


@dataclass
class ScaleStack:
    root: Path
    port: int = 3000
    backends: int = 2
    workers: int = 2
    pg_port: int = 5433
    redis_port: int = 6380

    def run(self) -> int:
        stopping = False
        app: subprocess.Popen[bytes] | None = None

        def on_signal(_signum: int, _frame: object) -> None:
            nonlocal stopping
            stopping = True
            if app is not None and app.poll() is None:
                os.killpg(app.pid, signal.SIGTERM)

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        logs = self.root / "logs"
        postgres = PostgresProcess(self.root / "pg", self.pg_port)
        redis = RedisProcess(self.root / "redis", self.redis_port)
        stack = default_stack(self.root, self.port)
        workers: list[subprocess.Popen[bytes]] = []
        try:
            postgres.start()
            print(f"  postgresql: {postgres.url}", flush=True)
            redis.start()
            print(f"  redis: {redis.url}", flush=True)
            stack.start()
            for service in stack.services:
                print(f"  {service.name}: {service.url}", flush=True)
            env = {**os.environ, **stack.env(), "REFLEX_DB_URL": postgres.url,
                   "LOGGRO_DATA_DIR": str(self.root / "app"), "PORT": str(self.port)}
            prepare_database(env)
            for n in range(1, self.workers + 1):
                if stopping:
                    return 130
                workers.append(start_worker(f"worker-{n}", env, logs))
                print(f"  worker-{n}: {logs}/worker-{n}.log", flush=True)
            if stopping:
                return 130
            app = subprocess.Popen(
                [sys.executable, "-m", "reflex", "run", "--env", "prod", "--frontend-port",
                 str(self.port), "--backend-port", str(self.port), "--backend-host",
                 "127.0.0.1"],
                env={**env, "REFLEX_REDIS_URL": redis.url,
                     "GRANIAN_WORKERS": str(self.backends), "LOGGRO_WORKFLOW_ROLE": "web"},
                start_new_session=True)
            return app.wait()
        finally:
            if app is not None:
                stop_group(app)
            for worker in workers:
                stop_group(worker)
            stack.stop()
            redis.stop()
            postgres.stop()


def main(argv: list[str]) -> int:
    if argv[:1] != ["run"]:
        sys.exit("uso: python -m loggro_app.scale_stack run")
    stack = ScaleStack(root=Path(os.environ.get("LOGGRO_SCALE_DIR") or "data/scale").resolve(),
                       port=int(os.environ.get("PORT") or 3000),
                       backends=int(os.environ.get("GRANIAN_WORKERS") or 2),
                       workers=int(os.environ.get("WORKFLOW_WORKERS") or 2),
                       pg_port=int(os.environ.get("SCALE_PG_PORT") or 5433),
                       redis_port=int(os.environ.get("SCALE_REDIS_PORT") or 6380))
    return stack.run()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
