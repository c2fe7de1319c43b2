"""The single-container demo image (`make image`), run as `make run-image` runs it: it
answers /api/health as a non-root user, a person logs in with Chromium and issues an
invoice that DIAN's sandbox inside the container accepts, SIGTERM stops everything cleanly,
and a new container on the same volume finds the invoice again."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from loggro_app.local_stack import free_port
from tests.e2e.helpers import DESKTOP, PHONE, login, new_page, shot
from tests.e2e.test_sales import pick_items, start_invoice
from tests.e2e.test_sales_flows import SELLER, issue_and_open

pytestmark = pytest.mark.container

IMAGE = os.environ.get("IMAGE", "localhost/loggro:latest")
PODMAN = [os.environ.get("PODMAN", "podman"),
          *shlex.split(os.environ.get("PODMAN_OPTS", "--runtime runc"))]
LIMITS = shlex.split(os.environ.get(
    "CONTAINER_LIMITS", "--ulimit nofile=20000:20000 --ulimit nproc=8192:8192"))
PORTS = ("PORT", "LOCALSTRIPE_PORT", "GATEWAY_PORT", "DIAN_SANDBOX_PORT", "SMTP_PORT",
         "SMTP_ADMIN_PORT", "PMS_SIMULATOR_PORT")


def podman(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PODMAN, *args], capture_output=True, text=True, check=check,
                          timeout=120)


@dataclass
class Container:
    name: str
    url: str


@pytest.fixture(scope="module")
def volume() -> Iterator[str]:
    if podman("image", "exists", IMAGE, check=False).returncode != 0:
        pytest.fail(f"No existe la imagen {IMAGE}: `make test` la construye con `make image`.")
    name = f"loggro-test-{uuid.uuid4().hex[:8]}"
    podman("volume", "create", name)
    yield name
    podman("volume", "rm", "-f", name, check=False)


def start(volume: str, log: Path) -> Container:
    """One container on this machine's loopback (host network), every port free."""
    ports = {name: str(free_port()) for name in PORTS}
    name = f"loggro-test-{uuid.uuid4().hex[:8]}"
    env = [arg for key, value in {**ports, "LOGGRO_BIND_HOST": "127.0.0.1"}.items()
           for arg in ("-e", f"{key}={value}")]
    podman("run", "-d", "--name", name, *LIMITS, "--network", "host", "--no-healthcheck",
           *env, "-v", f"{volume}:/app/data", IMAGE)
    url = f"http://127.0.0.1:{ports['PORT']}"
    deadline = time.monotonic() + 240
    while True:
        try:
            with urllib.request.urlopen(url + "/api/health", timeout=3) as answer:
                if answer.status == 200:
                    return Container(name, url)
        except OSError:
            pass
        state = podman("inspect", "--format", "{{.State.Running}}", name, check=False)
        if state.stdout.strip() != "true" or time.monotonic() > deadline:
            log.write_text(podman("logs", name, check=False).stdout)
            podman("rm", "-f", name, check=False)
            pytest.fail(f"El contenedor no respondió en /api/health; registro en {log}")
        time.sleep(2)


def stop(container: Container) -> tuple[int, float]:
    """SIGTERM, as `podman stop` sends it: (exit code, seconds it took)."""
    began = time.monotonic()
    podman("stop", "--time", "60", container.name)
    took = time.monotonic() - began
    code = int(podman("inspect", "--format", "{{.State.ExitCode}}", container.name)
               .stdout.strip())
    podman("rm", "-f", container.name, check=False)
    return code, took


def test_the_image_serves_issues_stops_and_keeps_its_data(
        browser: Browser, artifacts: Path, volume: str, tmp_path: Path) -> None:
    first = start(volume, tmp_path / "first.log")
    try:
        user = podman("exec", first.name, "id", "-u").stdout.strip()
        assert user != "0", "the app must not run as root"
        page = new_page(browser, DESKTOP)
        login(page, first.url, SELLER[0], full_name=SELLER[1])
        start_invoice(page, first.url, "830054320", "Restaurante El Fogón S.A.S.")
        pick_items(page, 2)
        issue_and_open(page)
        expect(page.locator("#document-status")).to_have_text("Aceptada", timeout=120_000)
        number = page.locator("#document-number").inner_text().rsplit(" ", 1)[-1]
        shot(page, artifacts, "contenedor-factura-aceptada-desktop")
        page.context.close()
    except BaseException:
        (tmp_path / "first.log").write_text(podman("logs", first.name, check=False).stdout)
        podman("rm", "-f", first.name, check=False)
        raise
    code, took = stop(first)
    assert code == 0 and took < 30, (code, took)

    again = start(volume, tmp_path / "again.log")  # the same volume: the same data
    try:
        page = new_page(browser, PHONE)
        login(page, again.url, SELLER[0], full_name=SELLER[1])
        page.goto(again.url + "/ventas")
        expect(page.locator(".grid-row").filter(has_text=number)).to_have_count(1)
        shot(page, artifacts, "contenedor-ventas-phone")
        page.context.close()
    finally:
        stop(again)
