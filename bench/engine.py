"""Benchmark: microseconds per plan for each journey of the real catalogue.

For each journey, times 10 000 `build_plan` calls on the answers of its first scenario
(journeys/tests/<journey-id>/, in file order) and prints the mean and 95th percentile per plan.
The best batch is printed too: on a shared machine it is the figure least disturbed by other
processes. The last line is one JSON object: {"plan_us_<journey>": mean, ..., "plan_us_max": largest mean}.
Run: .venv/bin/python bench/engine.py [runs]
"""
from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Replace this script's folder (whose http.py would shadow the standard library) with the project root.
sys.path[0] = str(ROOT)

from app.journeys import build_plan, load_catalog  # noqa: E402
from app.journeys.scenarios import load_scenarios  # noqa: E402

BATCH = 100  # calls per timed batch, so the clock's resolution does not matter


def first_scenario(journey_id: str):
    scenarios = load_scenarios(ROOT / "journeys" / "tests", journey_id)
    return (scenarios[0].answers, scenarios[0].today) if scenarios else ({}, date.today())


def time_plans(journey, answers, today, runs: int) -> tuple[float, float, float]:
    for _ in range(200):  # warm caches (holidays, business days)
        build_plan(journey, answers, today)
    samples = []
    gc.disable()
    try:
        for _ in range(max(runs // BATCH, 1)):
            start = time.perf_counter_ns()
            for _ in range(BATCH):
                build_plan(journey, answers, today)
            samples.append((time.perf_counter_ns() - start) / BATCH / 1000)
    finally:
        gc.enable()
    p95 = statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]
    return statistics.fmean(samples), p95, min(samples)


def main(runs: int = 10_000) -> dict:
    catalog = load_catalog(ROOT / "journeys")
    figures = {}
    for journey_id, journey in sorted(catalog.journeys.items()):
        answers, today = first_scenario(journey_id)
        mean, p95, best = time_plans(journey, answers, today, runs)
        steps = len(build_plan(journey, answers, today).steps)
        print(f"{journey_id:24} {len(journey.journey.questions):3} questions {len(journey.journey.steps):3} steps "
              f"-> {steps:2} in plan: {mean:6.1f} µs mean, {p95:6.1f} µs p95, {best:6.1f} µs best batch ({runs} plans)")
        figures[f"plan_us_{journey_id}"] = round(mean, 1)
        figures[f"plan_p95_us_{journey_id}"] = round(p95, 1)
        figures[f"plan_best_us_{journey_id}"] = round(best, 1)  # least disturbed by other processes
    means = [v for k, v in figures.items() if k.startswith("plan_us_")]
    figures["plan_us_max"] = max(means) if means else None
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
