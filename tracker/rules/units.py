"""Units through time: which unit was in force on a day, who took over from whom, the name then.

Pure functions of plain values (dates, codes, names): the services load the
facts (tracker.models.unit) and ask these rules.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from tracker.rules.extract._text import fold

# The district level was abolished on this day (Resolution 202/2025/QH15): no new district from then on.
DISTRICTS_ABOLISHED_ON = date(2025, 7, 1)


def in_force(started_on: date | None, ended_on: date | None, day: date) -> bool:
    """True if a unit that started on `started_on` (None: always) and ended on `ended_on` existed on `day`."""
    return (started_on is None or started_on <= day) and (ended_on is None or day < ended_on)


def kind_allowed(kind: str, started_on: date | None, today: date) -> bool:
    """A district may be recorded only if it existed before the district level was abolished."""
    if kind != "district":
        return True
    return (started_on or today) < DISTRICTS_ABOLISHED_ON


def successor_chain(code: str, successors: Mapping[str, Sequence[str]]) -> list[str]:
    """The living units that carry on `code`'s work, following each successor until one has none.

    `successors` maps an ended unit's code to the codes that took over from it.
    A living unit is its own successor; the first successor of a split comes
    first; a cycle (which the services refuse) stops where it would repeat.
    """
    result: list[str] = []
    seen: set[str] = set()

    def walk(current: str) -> None:
        if current in seen:
            return
        seen.add(current)
        nexts = successors.get(current) or ()
        if not nexts:
            if current not in result:
                result.append(current)
            return
        for following in nexts:
            walk(following)

    walk(code)
    return result


def holder_on(current: int, transfers: Iterable[tuple[date, int, int]], day: date) -> int:
    """The unit that held a task on `day`, from its current unit and its transfers (effective_on, from, to).

    A transfer effective on D gives the task to its new unit from D on; before
    D the task stayed with the unit it passed from.
    """
    later = sorted((t for t in transfers if t[0] > day), key=lambda t: t[0])
    return later[0][1] if later else current


def name_on(current: str, renames: Iterable[tuple[date, str]], day: date) -> str:
    """The unit's name on `day`, from its current name and its renames (effective_on, name until then)."""
    later = sorted((r for r in renames if r[0] > day), key=lambda r: r[0])
    return later[0][1] if later else current


@dataclass(frozen=True)
class FormerUnit:
    """A unit that no longer exists, as the conclusion assistant needs it."""

    code: str
    names: tuple[str, ...]  # its name, short name and other names
    successor: str  # the living unit that carries on its work (code)
    ended_on: date


def former_units_named(text: str, formers: Sequence[FormerUnit]) -> list[FormerUnit]:
    """The former units `text` names (accent- and case-insensitive, whole words), in the order given."""
    folded = fold(text)
    found = []
    for former in formers:
        for name in former.names:
            key = fold(name).strip()
            if key and re.search(rf"(?<!\w){re.escape(key)}(?!\w)", folded):
                found.append(former)
                break
    return found
