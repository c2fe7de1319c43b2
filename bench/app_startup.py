"""How long the app takes to serve its login page (cold and warm), the size of
.web/node_modules, and the backend's resident memory after a login.

Run: `make bench` (or `.venv/bin/python bench/app_startup.py [--cold]`).
--cold deletes .web first, so the frontend is installed and built from nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loggro_app.local_stack import free_port  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.e2e.conftest import reflex_env  # noqa: E402


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def start(env: dict[str, str], port: int, log: Path) -> tuple[subprocess.Popen[bytes], float]:
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "reflex", "run", "--env", "prod", "--frontend-port", str(port),
         "--backend-port", str(port), "--backend-host", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/login"
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"la app terminó: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return proc, time.monotonic() - t0
        except OSError:
            time.sleep(0.2)


def backend_rss_after_login(proc: subprocess.Popen[bytes], port: int) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/login")
        page.fill("#email", "demo@loggro.co")
        page.fill("#password", "Demo2026*")
        page.click("#login-submit")
        page.wait_for_selector("#welcome", timeout=60_000)
        tree = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
        sizes = sorted((p.memory_info().rss for p in tree if p.is_running()), reverse=True)
        browser.close()
    # the largest process is the backend worker serving the session; the rest is the
    # `reflex run` supervisor
    return sizes[0] / 2**20, sum(sizes) / 2**20


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cold", action="store_true", help="delete .web first")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    env = reflex_env(f"sqlite:///{work / 'bench.db'}")
    for module in ("loggro_app.migrate", "loggro_app.seed"):
        subprocess.run([sys.executable, "-m", module], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    if args.cold:
        shutil.rmtree(ROOT / ".web", ignore_errors=True)
    port = free_port()
    proc, first = start(env, port, work / "first.log")
    backend_rss, tree_rss = backend_rss_after_login(proc, port)
    stop(proc)
    proc, warm = start(env, port, work / "warm.log")
    stop(proc)
    modules = ROOT / ".web" / "node_modules"
    print(f"first start ({'cold: no .web' if args.cold else 'existing .web'}): {first:.1f} s")
    print(f"warm start (.web built): {warm:.1f} s")
    print(f".web/node_modules: {dir_size(modules) / 2**20:.0f} MiB")
    print(f"backend RSS after login: {backend_rss:.0f} MiB "
          f"(whole process tree {tree_rss:.0f} MiB)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
