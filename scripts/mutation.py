"""Mutation score of the pure core, per module (`make mutation`; not part of `make test`).

Runs mutmut 3 (configured in pyproject's [tool.mutmut]: the modules to mutate and the unit
tests to select from) on a fresh copy of the tree, then prints, for each mutated module, how
many mutants the tests killed. mutmut records which selected tests call each function and
runs only those against that function's mutants, so each module meets only its own tests.

    python scripts/mutation.py [--jobs N] [--min-score 90] [--survivors]

Exit status 1 when a module scores below --min-score (0 = report only).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTMUT = Path(sys.executable).with_name("mutmut")
# "loggro_app.core.nit.x_compute_dv__mutmut_3" or "...totals.xǁTotalsǁtax_amount__mutmut_1"
_RESULT = re.compile(r"^\s*(?P<name>\S+?)__mutmut_\d+: (?P<status>.+)$")
# Found by the tests (a timeout is a mutant that made the tests loop: caught too).
DETECTED = {"killed", "timeout", "caught by type check", "segfault"}
# Never run against tests: left out of the score (none expected).
UNRUN = {"not checked", "skipped", "check was interrupted by user"}


def modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    paths = config["tool"]["mutmut"]["only_mutate"]
    return [p.removesuffix(".py").replace("/", ".") for p in paths]


def module_of(mangled: str, known: list[str]) -> str:
    """The module a mutant belongs to: the longest known module its name starts with."""
    return max((m for m in known if mangled.startswith(m + ".")), key=len, default="?")


def tally(results: str, known: list[str]) -> tuple[dict[str, Counter[str]], list[str]]:
    counts: dict[str, Counter[str]] = {m: Counter() for m in known}
    survivors = []
    for line in results.splitlines():
        match = _RESULT.match(line)
        if not match or match["status"] in UNRUN:
            continue
        module = module_of(match["name"], known)
        detected = match["status"] in DETECTED
        counts.setdefault(module, Counter())["killed" if detected else "alive"] += 1
        if not detected:
            survivors.append(f"{line.strip()}")
    return counts, survivors


def report(counts: dict[str, Counter[str]]) -> list[tuple[str, float]]:
    scores = []
    print(f"{'module':<36} {'killed':>7} {'total':>6} {'score':>7}")
    for module, count in counts.items():
        total = count["killed"] + count["alive"]
        score = 100.0 * count["killed"] / total if total else 100.0
        scores.append((module, score))
        print(f"{module.removeprefix('loggro_app.'):<36} {count['killed']:>7} {total:>6} "
              f"{score:>6.1f}%")
    return scores


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--min-score", type=float, default=0.0)
    parser.add_argument("--survivors", action="store_true", help="list the surviving mutants")
    args = parser.parse_args(argv)
    shutil.rmtree(ROOT / "mutants", ignore_errors=True)  # a fresh run: no stale verdicts
    started = time.monotonic()
    run = subprocess.run([MUTMUT, "run", "--max-children", str(args.jobs)], cwd=ROOT,
                         capture_output=True, text=True, check=False)
    if run.returncode:
        print(run.stdout[-3000:], run.stderr[-3000:], sep="\n")
    results = subprocess.run([MUTMUT, "results", "--all", "true"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
    counts, survivors = tally(results, modules())
    if args.survivors:
        print("\n".join(survivors))
    scores = report(counts)
    print(f"mutmut run exited {run.returncode} after {time.monotonic() - started:.0f} s")
    low = [m for m, score in scores if score < args.min_score]
    if low:
        print(f"Below {args.min_score:g}%: {', '.join(low)}")
    return 1 if low or run.returncode not in (0, None) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
