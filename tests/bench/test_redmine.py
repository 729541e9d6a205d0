"""bench/redmine's own logic, without Redmine: the project tree's nested set, dates, the pairs' summary."""
from __future__ import annotations

import json

import pytest

from tests.bench import load_script


@pytest.fixture(scope="module")
def redmine():
    return load_script("redmine")


def test_nested_set_orders_children_by_name_and_encloses_them(redmine):
    nodes = {1: {"name": "Tỉnh", "parent_id": None}, 2: {"name": "Sở Y tế", "parent_id": 1},
             3: {"name": "Ban Dân tộc", "parent_id": 1}, 4: {"name": "Văn phòng", "parent_id": 2}}
    assert redmine.nested_set(nodes) == {1: (1, 8), 3: (2, 3), 2: (4, 7), 4: (5, 6)}


@pytest.mark.parametrize("value, stored", [
    (None, None),
    ("2026-12-05 09:00:00.000000", "2026-12-05 09:00:00"),
    ("2026-12-05T09:00:00+00:00", "2026-12-05 09:00:00"),
    ("2026-12-05", "2026-12-05 09:00:00"),
])
def test_stamp_is_redmine_sqlite_datetime(redmine, value, stored):
    assert redmine.stamp(value) == stored


def _run(ours_ms: float, theirs_ms: float, ours_rps: float, theirs_rps: float) -> dict:
    row = lambda ms, rps: {"path": "/x", "sequential": {"median_ms": ms},  # noqa: E731
                           "concurrent": {"requests_per_s": rps, "errors": 0}}
    return {"method": {"clients": 4}, "load_average": [1.0, 1.0, 1.0],
            "tracker": {"task page (HTML)": row(ours_ms, ours_rps)},
            "other": {"pages": {"task page (HTML)": row(theirs_ms, theirs_rps)}}}


def test_compact_gives_each_pair_its_ratios_and_names_pages_under_6x(redmine, tmp_path):
    runs = []
    for n, run in enumerate((_run(10, 70, 100, 12.5), _run(10, 50, 100, 20)), start=1):
        path = tmp_path / f"run-{n}.json"
        path.write_text(json.dumps(run))
        runs.append(path)
    summary = redmine.compact(runs, 20000)
    page = summary["pages"]["task page (HTML)"]
    assert [p["ratio"] for p in page["pairs"]] == [7.0, 5.0]
    assert [p["rps_ratio"] for p in page["pairs"]] == [8.0, 5.0]
    assert page["lowest_ratio"] == 5.0
    assert summary["under_6x"] == ["task page (HTML)"]
