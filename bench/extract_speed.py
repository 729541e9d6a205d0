"""Time the conclusion assistant on a 20,000-character notice: the median of repeated runs.

Run from the repository root (or `make extract-speed`):

    .venv/bin/python bench/extract_speed.py [--runs N] [--chars N]

The notice is built from the real texts of tests/data/conclusions/ (joined, in order, until it is
long enough), extracted with the shared unit registry and Vietnam's working-day calendar, as the
review page does. The issue asks for under 200 ms; the script prints the median and the slowest run
and exits non-zero above the limit.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.extract_quality import DATA, load_documents  # noqa: E402
from tracker.rules.calendar import WorkCalendar  # noqa: E402
from tracker.rules.extract import extract  # noqa: E402

LIMIT_MS = 200.0


def notice(chars: int) -> str:
    """Return a text of at least `chars` characters made of the labelled real texts."""
    parts, total = [], 0
    while total < chars:
        for path in sorted(DATA.glob("[0-9][0-9]-*.txt")):
            text = path.read_text(encoding="utf-8")
            parts.append(text)
            total += len(text) + 2
            if total >= chars:
                break
    return "\n\n".join(parts)[:chars]


def main(argv: list[str] | None = None) -> int:
    """Print the median time of extracting the notice."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--chars", type=int, default=20_000)
    args = parser.parse_args(argv)
    registry = load_documents()[0][3]
    text = notice(args.chars)
    calendar = WorkCalendar()
    extract(text, registry, issued_on=date(2024, 5, 2), add_working_days=calendar.add_working_days)  # warm-up
    times, count = [], 0
    for _ in range(args.runs):
        started = time.perf_counter()
        count = len(extract(text, registry, issued_on=date(2024, 5, 2), add_working_days=calendar.add_working_days))
        times.append((time.perf_counter() - started) * 1000)
    median = statistics.median(times)
    print(f"{len(text):,} characters, {count} tasks proposed: median {median:.1f} ms, slowest {max(times):.1f} ms "
          f"over {args.runs} runs (limit {LIMIT_MS:.0f} ms)")
    return 0 if median < LIMIT_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
