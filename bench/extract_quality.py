"""Measure conclusion-text extraction against the labelled set in tests/data/conclusions/.

Run from the repository root:

    .venv/bin/python bench/extract_quality.py [--split dev|holdout|all] [--details] [--docs 175-198]

(`make extract-eval` runs it on the whole set.)

For each document it runs `tracker.rules.extract.extract` with the shared
registry (units.json) plus the document's own units, its `issued_on` and the
working-day calendar of Vietnam (`WorkCalendar().add_working_days`), and
prints one row, then the totals per kind of text (formal notice, Office letter,
news report, decision or plan: the label's `kind`) and over all documents, for
the development part, the held-out part (the label's `split`: the last texts
labelled, kept aside while the rules were written) and both.

Matching: a proposed task matches an expected one when their character spans
overlap by at least half of the longer span (overlap >= 0.5 * max(len_p,
len_e)). Pairs are made greedily, largest overlap first, each task used once.

- task-boundary precision = matched / proposed, recall = matched / expected,
  F1 their harmonic mean;
- lead-unit accuracy = matched pairs with the same lead (None included) /
  matched pairs;
- deadline accuracy = matched pairs with the same deadline and the same
  `ongoing` flag / matched pairs;
- collective accuracy = matched pairs that agree on whether the task is
  addressed to a collective ("các sở, ngành") / matched pairs;
- recurrence accuracy = matched pairs with the same recurrence (period and
  day, or none) / matched pairs;
- cooperating accuracy = matched pairs with the same set of named
  cooperating units / matched pairs (a collective phrase such as "các sở,
  ngành liên quan" names no unit: it is kept as a phrase, not compared).

The totals are micro-averages (summed counts over all documents). `--docs
FROM-TO` lists only the documents numbered FROM to TO and adds their totals (a
fresh batch scored alone).
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracker.rules.calendar import WorkCalendar  # noqa: E402
from tracker.rules.extract import ProposedTask, UnitRef, extract  # noqa: E402

DATA = ROOT / "tests" / "data" / "conclusions"


@dataclass
class DocResult:
    """The counts of one document."""

    name: str
    proposed: int
    expected: int
    matched: int
    lead_ok: int
    deadline_ok: int
    coop_ok: int
    collective_ok: int
    recurrence_ok: int
    kind: str
    split: str
    pairs: list[tuple[dict, ProposedTask]]
    unmatched_expected: list[dict]
    unmatched_proposed: list[ProposedTask]


def _unit(entry: dict) -> UnitRef:
    """Build a UnitRef from a JSON entry."""
    return UnitRef(
        code=entry["code"],
        name=entry["name"],
        short_name=entry.get("short_name", ""),
        aliases=tuple(entry.get("aliases", ())),
        kind=entry.get("kind", "department"),
    )


def labelled_paths(data: Path = DATA) -> list[Path]:
    """Return the label files ("NN-slug.json", "NNN-slug.json") in the order of their numbers."""
    return sorted(data.glob("[0-9]*-*.json"), key=lambda p: int(p.name.split("-", 1)[0]))


def load_documents(data: Path = DATA) -> list[tuple[str, str, dict, list[UnitRef]]]:
    """Return (name, text, labels, registry) for every labelled document."""
    shared = [_unit(u) for u in json.loads((data / "units.json").read_text(encoding="utf-8"))["units"]]
    docs = []
    for label_path in labelled_paths(data):
        labels = json.loads(label_path.read_text(encoding="utf-8"))
        text = label_path.with_suffix(".txt").read_text(encoding="utf-8")
        registry = shared + [_unit(u) for u in labels.get("units", [])]
        docs.append((label_path.stem, text, labels, registry))
    return docs


def _named(codes: list[str], lead: str | None) -> set[str]:
    """Return the named cooperating units of a label, without the lead."""
    return {code for code in codes if code != lead}


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    """Return the length of the intersection of two spans."""
    return max(0, min(a1, b1) - max(a0, b0))


def match(expected: list[dict], proposed: list[ProposedTask]) -> list[tuple[int, int]]:
    """Pair expected and proposed tasks whose spans overlap by half the longer one, greedily."""
    candidates = []
    for i, e in enumerate(expected):
        for j, p in enumerate(proposed):
            ov = _overlap(e["start"], e["end"], p.start, p.end)
            longer = max(e["end"] - e["start"], p.end - p.start)
            if longer and ov >= 0.5 * longer:
                candidates.append((ov, i, j))
    candidates.sort(reverse=True)
    used_e: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_e and j not in used_p:
            used_e.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def evaluate_document(name: str, text: str, labels: dict, registry: list[UnitRef]) -> DocResult:
    """Run the extractor on one document and count what it got right."""
    issued = date.fromisoformat(labels["issued_on"]) if labels.get("issued_on") else None
    proposed = extract(text, registry, issued_on=issued, add_working_days=WorkCalendar().add_working_days)
    expected = labels["tasks"]
    pairs = match(expected, proposed)
    lead_ok = deadline_ok = coop_ok = collective_ok = recurrence_ok = 0
    for i, j in pairs:
        e, p = expected[i], proposed[j]
        lead_ok += e["lead_unit"] == p.lead_unit
        e_deadline = date.fromisoformat(e["deadline"]) if e["deadline"] else None
        deadline_ok += e_deadline == p.deadline and bool(e["ongoing"]) == p.ongoing
        coop_ok += _named(e["cooperating_units"], e["lead_unit"]) == set(p.cooperating_units)
        collective_ok += bool(e.get("collective")) == bool(getattr(p, "collective", None))
        recurrence_ok += (e.get("recurrence") or None) == (getattr(p, "recurrence", None) or None)
    matched_e = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}
    return DocResult(
        name=name,
        proposed=len(proposed),
        expected=len(expected),
        matched=len(pairs),
        lead_ok=lead_ok,
        deadline_ok=deadline_ok,
        coop_ok=coop_ok,
        collective_ok=collective_ok,
        recurrence_ok=recurrence_ok,
        kind=labels.get("kind", "notice"),
        split=labels.get("split", "dev"),
        pairs=[(expected[i], proposed[j]) for i, j in pairs],
        unmatched_expected=[e for i, e in enumerate(expected) if i not in matched_e],
        unmatched_proposed=[p for j, p in enumerate(proposed) if j not in matched_p],
    )


def _ratio(num: int, den: int) -> float:
    """Return num/den, or 1.0 when there is nothing to count."""
    return num / den if den else 1.0


def scores(results: list[DocResult]) -> dict[str, float]:
    """Return the micro-averaged scores over some documents."""
    proposed = sum(r.proposed for r in results)
    expected = sum(r.expected for r in results)
    matched = sum(r.matched for r in results)
    precision = _ratio(matched, proposed)
    recall = _ratio(matched, expected)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "lead": _ratio(sum(r.lead_ok for r in results), matched),
        "deadline": _ratio(sum(r.deadline_ok for r in results), matched),
        "cooperating": _ratio(sum(r.coop_ok for r in results), matched),
        "collective": _ratio(sum(r.collective_ok for r in results), matched),
        "recurrence": _ratio(sum(r.recurrence_ok for r in results), matched),
    }


def evaluate_all(data: Path = DATA) -> list[DocResult]:
    """Evaluate every labelled document."""
    return [evaluate_document(*doc) for doc in load_documents(data)]


KINDS = (("notice", "formal notices"), ("letter", "Office letters"), ("news", "news reports"),
         ("decision", "decisions and plans"))
SPLITS = (("dev", "development part"), ("holdout", "held-out part"), ("all", "whole set"))


def _row(label: str, results: list[DocResult]) -> str:
    """Format one line of totals."""
    s = scores(results)
    return (f"{label:40} {len(results):4d} {sum(r.expected for r in results):4d} {sum(r.proposed for r in results):4d} "
            f"{sum(r.matched for r in results):5d} {s['precision']:6.2f} {s['recall']:6.2f} {s['f1']:6.2f} "
            f"{s['deadline']:6.2f} {s['lead']:6.2f} {s['cooperating']:6.2f} {s['collective']:6.2f} "
            f"{s['recurrence']:6.2f}")


def _details(r: DocResult) -> None:
    """Print what one document got wrong."""
    for e in r.unmatched_expected:
        print(f"    missed   [{e['start']}:{e['end']}] {e['text'][:90]!r}")
    for p in r.unmatched_proposed:
        print(f"    extra    [{p.start}:{p.end}] {p.title[:90]!r}")
    for e, p in r.pairs:
        e_deadline = date.fromisoformat(e["deadline"]) if e["deadline"] else None
        if e["lead_unit"] != p.lead_unit:
            print(f"    lead     expected {e['lead_unit']} got {p.lead_unit}: {p.title[:60]!r}")
        if e_deadline != p.deadline or bool(e["ongoing"]) != p.ongoing:
            print(f"    deadline expected {e_deadline}/{e['ongoing']} got {p.deadline}/{p.ongoing}: {p.title[:60]!r}")
        if bool(e.get("collective")) != bool(getattr(p, "collective", None)):
            print(f"    collect. expected {e.get('collective')!r} got {getattr(p, 'collective', None)!r}")
        if (e.get("recurrence") or None) != (getattr(p, "recurrence", None) or None):
            print(f"    recur.   expected {e.get('recurrence')} got {getattr(p, 'recurrence', None)}")
        if _named(e["cooperating_units"], e["lead_unit"]) != set(p.cooperating_units):
            print(f"    coop     expected {sorted(e['cooperating_units'])} got {p.cooperating_units}")


def _number(name: str) -> int:
    """Return the number of a document from its name ("175-slug")."""
    return int(name.split("-", 1)[0])


def main(argv: list[str] | None = None) -> int:
    """Print the scores per document, per kind of text and overall, for each part of the set."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--split", choices=[s for s, _ in SPLITS], default="all",
                        help="the documents to list one by one (the totals always show every part)")
    parser.add_argument("--details", action="store_true", help="also list the unmatched and wrong tasks")
    parser.add_argument("--docs", metavar="FROM-TO", help="list only the documents numbered FROM to TO and add their totals")
    args = parser.parse_args(argv)
    results = evaluate_all()
    low, high = 0, 10**9
    if args.docs:
        first, _, last = args.docs.partition("-")
        low, high = int(first), int(last or first)
    header = (f"{'':40} {'docs':>4} {'exp':>4} {'prop':>4} {'match':>5} {'P':>6} {'R':>6} {'F1':>6} "
              f"{'dead':>6} {'lead':>6} {'coop':>6} {'coll':>6} {'recur':>6}")
    print(header)
    print("-" * len(header))
    for r in results:
        if args.split in ("all", r.split) and low <= _number(r.name) <= high:
            print(_row(f"{r.name[:33]} [{r.split[0]}]", [r]))
            if args.details:
                _details(r)
    for split, split_label in SPLITS:
        part = [r for r in results if split == "all" or r.split == split]
        print("-" * len(header))
        for kind, kind_label in KINDS:
            of_kind = [r for r in part if r.kind == kind]
            if of_kind:
                print(_row(f"  {kind_label}", of_kind))
        print(_row(f"{split_label.upper()}", part))
    if args.docs:
        batch = [r for r in results if low <= _number(r.name) <= high]
        print("-" * len(header))
        for kind, kind_label in KINDS:
            of_kind = [r for r in batch if r.kind == kind]
            if of_kind:
                print(_row(f"  {kind_label}", of_kind))
        print(_row(f"DOCUMENTS {args.docs}", batch))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
