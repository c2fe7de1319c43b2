"""The scale simulation (bench/scale_model.py) against queueing theory, so that a wrong
engine shows here before its figures reach docs/scaling.md."""

from __future__ import annotations

import json
import math

import pytest

from tests.bench_modules import BENCH, load_bench

model = load_bench("scale_model")


def test_erlang_c_formula_on_known_values() -> None:
    # M/M/1: Wq = rho / (mu - lambda)
    assert model.erlang_c_wait(0.5, 1.0, 1) == pytest.approx(1.0)
    # M/M/2 with a = 1 (rho 0.5): P(wait) = 1/3, Wq = (1/3) / (2 - 1)
    assert model.erlang_c_wait(1.0, 1.0, 2) == pytest.approx(1 / 3)
    assert model.erlang_c_wait(2.0, 1.0, 2) == math.inf


@pytest.mark.parametrize(("arrival", "servers"), [(0.8, 1), (3.2, 4), (5.6, 8)])
def test_mmc_mean_wait_matches_erlang_c(arrival: float, servers: int) -> None:
    result = model.simulate_mmc(arrival, 1.0, servers, customers=60_000, seed=7)
    expected = model.erlang_c_wait(arrival, 1.0, servers)
    assert result.mean_wait == pytest.approx(expected, rel=0.12)
    assert result.mean_sojourn == pytest.approx(expected + 1.0, rel=0.05)
    assert result.utilisation == pytest.approx(arrival / servers, rel=0.03)


def test_littles_law_holds_in_the_mmc_run() -> None:
    result = model.simulate_mmc(3.0, 1.0, 4, customers=40_000, seed=3)
    assert result.mean_in_system == pytest.approx(result.throughput * result.mean_sojourn,
                                                  rel=0.03)


def test_same_seed_same_run_other_seed_other_run() -> None:
    a = model.simulate_mmc(0.9, 1.0, 1, customers=2_000, seed=11)
    b = model.simulate_mmc(0.9, 1.0, 1, customers=2_000, seed=11)
    c = model.simulate_mmc(0.9, 1.0, 1, customers=2_000, seed=12)
    assert a == b
    assert a != c


def test_the_inputs_name_the_command_that_measured_them() -> None:
    raw = json.loads((BENCH / "scale_inputs.json").read_text())
    for name, entry in raw.items():
        if isinstance(entry, dict):
            assert entry.get("value") is not None, name
            assert entry.get("command") or entry.get("assumption"), name


def test_pipeline_sized_for_its_rate_keeps_up_and_is_deterministic() -> None:
    inputs = model.load_inputs()
    plan = model.size(inputs, 200, target=0.7)
    first = model.simulate_pipeline(inputs, 200, plan, seconds=10, seed=5,
                                    organizations=1_000)
    again = model.simulate_pipeline(inputs, 200, plan, seconds=10, seed=5,
                                    organizations=1_000)
    assert first.accepted == again.accepted
    # measured for 8 of the 10 simulated seconds: about 200/s arrive and are accepted
    assert len(first.accepted) == pytest.approx(200 * 8, rel=0.15)
    assert first.utilisation["worker cores"] < 0.9
    # nothing is faster than its own CPU and the DIAN call
    floor = (inputs["intake_cpu_ms"] + inputs["sign_cpu_ms"]) / 1000
    assert min(first.accepted) > floor


def test_an_undersized_pipeline_builds_a_queue() -> None:
    inputs = model.load_inputs()
    plan = model.size(inputs, 200, target=0.7)
    plan.worker_cores = max(1, plan.worker_cores // 4)
    starved = model.simulate_pipeline(inputs, 200, plan, seconds=10, seed=5,
                                      organizations=1_000)
    assert starved.utilisation["worker cores"] > 0.97
    assert starved.mean_line["worker cores"] > 100  # documents waiting for a core, in all


def test_split_files_moves_the_files_load_to_processes_of_their_own() -> None:
    inputs = model.load_inputs()
    shared = model.size(inputs, 200, target=0.7)
    split = model.size(inputs, 200, target=0.7, split_files=True)
    assert split.files_cores > 0 and shared.files_cores == 0
    moved = split.loads["workers (issuing)"] + split.loads["files (PDF, AttachedDocument, mail)"]
    assert moved == pytest.approx(shared.loads["workers (everything else)"])
    result = model.simulate_pipeline(inputs, 200, split, seconds=10, seed=5,
                                     organizations=1_000)
    assert 0.3 < result.utilisation["files cores"] < 0.9
    assert len(result.accepted) == pytest.approx(200 * 8, rel=0.15)
