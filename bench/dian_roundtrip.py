"""SendBillSync round trips against the DIAN sandbox: accepted documents/s, p50/p99 latency.

    python bench/dian_roundtrip.py [--n 240] [--senders 1,8,32] [--url URL]

Starts `python -m loggro_app.standins.dian_sandbox` on a free 127.0.0.1 port (unless --url
points at a
running one), pre-builds and signs invoices with fresh numbers (not timed), then sends them
with 1, 8 and 32 concurrent senders (threads, one DianClient each). Every send must be
accepted (status 00). Not a test: prints figures only.
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from loggro_app.core.clock import bogota_now
from loggro_app.dian import BuiltDocument, Signer, build_document, samples
from loggro_app.dian.client import ClientConfig, DianClient

ROOT = Path(__file__).resolve().parents[1]


def wall_clock() -> datetime:
    return datetime.now(UTC)


def start_sandbox() -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "loggro_app.standins.dian_sandbox", "--port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/admin/health", timeout=1, trust_env=False).is_success:
                return process, base + "/WcfDianCustomerServices.svc"
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("el sandbox no arrancó")


def prebuild(signer: Signer, count: int, first: int) -> list[BuiltDocument]:
    clock = wall_clock
    now = bogota_now(clock)
    return [
        build_document(samples.invoice(now, number=first + i), signer=signer, clock=clock)
        for i in range(count)
    ]


def run(url: str, signer: Signer, docs: list[BuiltDocument], senders: int) -> None:
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    queue = iter(docs)

    def sender() -> None:
        config = ClientConfig("sandbox", url=url, timeout=60)
        with DianClient(signer=signer, clock=wall_clock, config=config) as client:
            while True:
                with lock:
                    built = next(queue, None)
                if built is None:
                    return
                start = time.perf_counter()
                answer = client.send_bill_sync(built.file_names.zip, built.zip_bytes)
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    if not answer.accepted:
                        failures.append(",".join(answer.rule_codes()) or answer.status_code)

    threads = [threading.Thread(target=sender) for _ in range(senders)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    accepted = len(latencies) - len(failures)
    print(
        f"{senders:>3} emisores  {accepted / wall:8.1f} aceptados/s   "
        f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p99 {p99 * 1000:7.1f} ms   "
        f"({accepted}/{len(latencies)} aceptados{', fallos: ' + failures[0] if failures else ''})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=240, help="documentos por nivel")
    parser.add_argument("--senders", default="1,8,32")
    parser.add_argument("--url", help="sandbox ya iniciado (si no, se inicia uno)")
    args = parser.parse_args()
    signer = Signer.from_pkcs12((ROOT / "examples" / "demo-cert.p12").read_bytes(), b"demo")
    process, url = (None, args.url) if args.url else start_sandbox()
    try:
        levels = [int(s) for s in args.senders.split(",")]
        first = 990_000_000 + random.randrange(0, 4_000_000, 10_000)
        batches = [prebuild(signer, args.n, first + i * args.n) for i in range(len(levels) + 1)]
        run(url, signer, batches[-1][:16], 4)  # warm-up (XSD compile, connections)
        print(f"SendBillSync contra {url} — {args.n} facturas por nivel")
        for senders, docs in zip(levels, batches, strict=False):
            run(url, signer, docs, senders)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
