"""The write cost of the kept figures (issue 18): one admission with the kept-figure listener on and off,
alternating in one process, today and back-dated.

    .venv/bin/python bench/leaf_write_bench.py --pg-url postgres://postgres@127.0.0.1:5432/congdoan_bench_x

Runs on a database kept by ``leaf_figures_bench.py --keep`` (its records and kept periods: the year
2024 and the default periods). The machine is shared and its load moves: so the two modes are timed
in alternating rounds (on, off, off, on, ...) in one process, never against a figure taken minutes
earlier; each round admits ``--per-round`` members through ``members.services.member_admit`` for each
date. Prints ms median and p95 of each (mode, date), the ratio on/off, and the load average.
``--import-rows`` also times an import of that many members on and off (alternating, ``--imports``
pairs). The writes stay in the database (as the bench's own); run ``figures verify`` after if in doubt.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common
from bench.leaf_figures_bench import FAMILY, GIVEN, alive_cdcs, import_seconds

NAME = "leaf_write_bench"
DATES = {"today": dt.date(2026, 12, 1), "back-dated 2024": dt.date(2024, 3, 1)}


class Listeners:
    """Switch the records listeners (the kept figures) off and on again."""

    def __init__(self) -> None:
        from congdoan.core import registry

        self.registry = registry
        self.saved = list(registry._records_listeners)
        self.spent: list[float] = []  # ms in the listeners, per admission (their own share of "on")

        def timed(source: str, units: Any, dates: Any, added: Any) -> None:
            start = time.perf_counter()
            for listener in self.saved:
                listener(source, units, dates, added)
            self.spent.append((time.perf_counter() - start) * 1000)

        self.timed = timed

    def set(self, on: bool) -> None:
        self.registry._records_listeners[:] = [self.timed] if on else []


def admit(units: list[Any], day: dt.date, rng: random.Random, counter: list[int]) -> float:
    from congdoan.members import services

    counter[0] += 1
    unit = units[counter[0] % len(units)]
    start = time.perf_counter()
    services.member_admit(
        actor=None,
        cdcs=unit,
        join_date=day,
        full_name=f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
        birth_date=dt.date(1990, 1, 1) + dt.timedelta(days=counter[0] % 5000),
        gender=rng.choice(["Nam", "Nữ"]),
        cccd="",
        card_number=None,
    )
    return (time.perf_counter() - start) * 1000


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg-url", required=True, help="a database kept by leaf_figures_bench.py --keep")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--per-round", type=int, default=5)
    parser.add_argument("--import-rows", type=int, default=0)
    # Birth dates of import file ``tag`` start 2000·tag days after 1970: tags 3–6 keep the members adult
    # (and distinct between runs: the importer matches a person by name and birth date).
    parser.add_argument("--imports", type=int, default=1, choices=[1, 2], help="pairs of imports (on, off)")
    parser.add_argument("--first-tag", type=int, default=3, choices=[3, 4, 5], help="a run's own (3, 5)")
    args = parser.parse_args()
    url = common.attach("postgres", NAME, args.pg_url)
    from congdoan.indicators.models import KeptPeriod

    print(f"=== kept figures: write cost, listener on/off alternating ({url}) ===")
    print(common.describe_database())
    print(f"kept (provider, period) pairs: {KeptPeriod.objects.count()}; pid {os.getpid()}")
    loads = [common.load_average()]
    print(f"load average at the start: {loads[0]}")
    rng = random.Random(11)
    units = alive_cdcs(rng, 500)
    listeners = Listeners()
    counter = [0]
    times: dict[tuple[str, bool], list[float]] = {(d, on): [] for d in DATES for on in (True, False)}
    spent: dict[str, list[float]] = {d: [] for d in DATES}
    for day in DATES.values():  # warm-up, untimed
        for on in (True, False):
            listeners.set(on)
            admit(units, day, rng, counter)
    for r in range(args.rounds):
        for label, day in DATES.items():
            for on in (True, False) if r % 2 == 0 else (False, True):
                listeners.set(on)
                listeners.spent.clear()
                times[(label, on)] += [admit(units, day, rng, counter) for _ in range(args.per_round)]
                spent[label] += listeners.spent
        if r % 5 == 4:
            loads.append(common.load_average())
    listeners.set(True)
    print(f"\nmember_admit, ms ({args.rounds} rounds × {args.per_round} admissions per mode and date)")
    print(
        f"{'date':<18}{'off median':>11}{'off p95':>9}{'on median':>11}{'on p95':>9}"
        f"{'ratio':>8}{'listener':>10}"
    )
    for label in DATES:
        off, on_ = times[(label, False)], times[(label, True)]
        ratio = statistics.median(on_) / statistics.median(off)
        print(
            f"{label:<18}{statistics.median(off):>11.2f}{p95(off):>9.2f}"
            f"{statistics.median(on_):>11.2f}{p95(on_):>9.2f}{ratio:>7.2f}×{statistics.median(spent[label]):>10.2f}"
        )
    print("(listener: median ms spent in the kept-figure listener itself, within 'on')")
    if args.import_rows:
        took: dict[bool, list[float]] = {True: [], False: []}
        for i in range(args.imports):
            for on in (True, False) if i % 2 == 0 else (False, True):
                listeners.set(on)
                tag = args.first_tag + 2 * i + int(on)
                took[on].append(import_seconds(units, args.import_rows, rng, tag))
        listeners.set(True)
        off_s, on_s = statistics.median(took[False]), statistics.median(took[True])
        runs = {on: ", ".join(f"{t:.2f}" for t in took[on]) for on in took}
        print(
            f"import of {args.import_rows:,} members, s: off {off_s:.2f}, on {on_s:.2f}: {on_s / off_s:.2f}×"
            f" (runs: off {runs[False]}; on {runs[True]})"
        )
    loads.append(common.load_average())
    print(f"load average during the run: {' → '.join(loads)}")


if __name__ == "__main__":
    main()
