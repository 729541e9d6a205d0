"""The pure rules of units through time: in force, successors, holder and name on a day."""
from datetime import date

import pytest

from tracker.rules.units import holder_on, in_force, kind_allowed, name_on, successor_chain

MARCH_1 = date(2025, 3, 1)


@pytest.mark.parametrize("started, ended, day, expected", [
    (None, None, date(2020, 1, 1), True),
    (None, MARCH_1, date(2025, 2, 28), True),
    (None, MARCH_1, MARCH_1, False),  # the day of the merger belongs to the successor
    (MARCH_1, None, date(2025, 2, 28), False),
    (MARCH_1, None, MARCH_1, True),
])
def test_in_force(started, ended, day, expected):
    assert in_force(started, ended, day) is expected


@pytest.mark.parametrize("kind, started, today, expected", [
    ("district", None, date(2025, 6, 30), True),
    ("district", None, date(2025, 7, 1), False),
    ("district", date(2019, 1, 1), date(2026, 12, 5), True),  # recording a district that existed then
    ("district", date(2025, 7, 1), date(2026, 12, 5), False),
    ("commune", None, date(2026, 12, 5), True),
])
def test_kind_allowed(kind, started, today, expected):
    assert kind_allowed(kind, started, today) is expected


def test_successor_chain():
    successors = {"STTTT": ["SKHCN"], "HUYEN": ["XA-A", "XA-B"], "XA-B": ["PHUONG-C"], "LOOP": ["LOOP2"],
                  "LOOP2": ["LOOP"]}
    assert successor_chain("SNV", successors) == ["SNV"]
    assert successor_chain("STTTT", successors) == ["SKHCN"]
    assert successor_chain("HUYEN", successors) == ["XA-A", "PHUONG-C"]
    assert successor_chain("LOOP", successors) == []


def test_holder_and_name_on_a_day():
    transfers = [(MARCH_1, 1, 2), (date(2025, 7, 1), 2, 3)]
    assert holder_on(3, transfers, date(2025, 2, 28)) == 1
    assert holder_on(3, transfers, MARCH_1) == 2
    assert holder_on(3, transfers, date(2025, 7, 1)) == 3
    assert holder_on(3, [], date(2020, 1, 1)) == 3
    renames = [(MARCH_1, "Sở Khoa học và Công nghệ"), (date(2024, 1, 1), "Sở KH-CN")]
    assert name_on("Sở Khoa học, Công nghệ và Chuyển đổi số", renames, date(2023, 6, 1)) == "Sở KH-CN"
    assert name_on("Sở Khoa học, Công nghệ và Chuyển đổi số", renames, date(2024, 6, 1)) == "Sở Khoa học và Công nghệ"
    assert name_on("Sở Khoa học, Công nghệ và Chuyển đổi số", renames, MARCH_1) == \
        "Sở Khoa học, Công nghệ và Chuyển đổi số"
