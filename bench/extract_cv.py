"""Leave-one-batch-out: does a learned second opinion make the conclusion assistant generalise better?

Run from the repository root:

    .venv/bin/python bench/extract_cv.py [--as-of] [--honest [--no-dev]] [--text-only] [--grid]

The labelled set (tests/data/conclusions) came in batches: documents 1-115
(their development and held-out parts, two batches), then nineteen fresh batches
116-144, 145-174, 175-198, 199-215, 216-233, 234-253, 254-269, 270-285, 286-304, 305-321, 322-335, 336-348, 349-366, 367-380, 381-399, 400-412, 413-422, 423-437 and 438-451, each scored before rules were written from it
(199-215 was tuned on in the sixth round, 216-233 in the seventh, 234-253 in the eighth, 254-269 in the ninth;
270-285 was scored once with the ninth round's rules, 286-304 with the tenth's, 305-321 with the eleventh's,
322-335 with the thirteenth's, 336-348 with the fourteenth's first rule, 349-366 with the fourteenth's final rules, 367-380 with the fifteenth's, 381-399 with the sixteenth's, 400-412 with the seventeenth's, 413-422 with the eighteenth's, 423-437 with the nineteenth's, 438-451 with the twentieth's).
For each batch this trains the clause model (`tracker.rules.extract._model`)
on the other batches only, picks its two thresholds on those batches (inner
leave-one-batch-out), and scores the batch with the rules alone and with the
rules plus the model (the same task-boundary matching as extract_quality.py).

The rules themselves were tuned on every batch, so the rules' own score on a
batch is optimistic. `--as-of` removes that: for each fresh batch it runs the
rules as they were when the batch arrived (the commit that added it, before
any rule was written from it) on every document, trains the model on the other
batches with those rules' decisions as features, and scores the fresh batch:
the honest "before" figure of each round, with and without the model.

How the model combines with the rules: a rule task whose first clause the
model scores below `drop` is dropped; a clause outside every rule task that it
scores above `add` becomes a task (to the end of its sentence).

`--honest` goes one step further (stacking without leakage): every batch's
features come from rules that had not seen it (the fresh batches with the
rules of their day, documents 1-115 with today's rules; `--no-dev` leaves out
their development part, which taught rules), so the model learns how far to
trust the rules on texts they were not written for. `--text-only` hides the
rules' decisions from the model (a second opinion from the text alone; the
"model alone" line then scores it without the rules). `--grid` prints every
fixed threshold pair on the fresh batches: optimistic, as the pair is then
chosen looking at the batch scored.

Findings (README, "Conclusion assistant"): the thresholds chosen without
looking at the scored batch let the model change one proposal (234-253, wrongly); no fixed
pair helps on all three fresh batches.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.extract_quality import DATA, load_documents, match  # noqa: E402
from tracker.rules.calendar import WorkCalendar  # noqa: E402
from tracker.rules.extract import extract  # noqa: E402
from bench import extract_model as model  # noqa: E402
from tracker.rules.extract._segment import split_clauses  # noqa: E402
from tracker.rules.extract._text import TextView  # noqa: E402
from tracker.rules.extract._units import UnitMatcher  # noqa: E402

BATCHES = ("1-115 dev", "1-115 held-out", "116-144", "145-174", "175-198", "199-215", "216-233", "234-253", "254-269", "270-285", "286-304", "305-321", "322-335", "336-348", "349-366", "367-380", "381-399", "400-412", "413-422", "423-437", "438-451", "452-466")
# The rules as they were when each fresh batch arrived (the commit that added it to the set).
AS_OF = {"116-144": "3d0069d", "145-174": "3bd81f7", "175-198": "c242d19", "199-215": "75e444b", "216-233": "40e93e3", "234-253": "0d7d2d9", "254-269": "938a8b3", "270-285": "7594310", "286-304": "02d3736", "305-321": "383d0bc", "322-335": "e2dff2c", "336-348": "71df4be", "349-366": "fa9af3f", "367-380": "dc9dc0a", "381-399": "b29003f", "400-412": "541630f", "413-422": "009c4e6", "423-437": "9aa23e6", "438-451": "d9f8e90", "452-466": "c249d3a"}
DROPS = (0.0, 0.05, 0.1, 0.2, 0.3)
ADDS = (1.01, 0.9, 0.8, 0.7, 0.6)


def batch_of(name: str, split: str) -> str:
    """Return the batch a labelled document came in."""
    number = int(name.split("-", 1)[0])
    if number <= 115:
        return "1-115 dev" if split == "dev" else "1-115 held-out"
    if number <= 144:
        return "116-144"
    if number <= 174:
        return "145-174"
    if number <= 198:
        return "175-198"
    if number <= 215:
        return "199-215"
    if number <= 233:
        return "216-233"
    if number <= 253:
        return "234-253"
    if number <= 269:
        return "254-269"
    if number <= 285:
        return "270-285"
    if number <= 304:
        return "286-304"
    if number <= 321:
        return "305-321"
    if number <= 335:
        return "322-335"
    if number <= 348:
        return "336-348"
    if number <= 366:
        return "349-366"
    if number <= 380:
        return "367-380"
    if number <= 399:
        return "381-399"
    if number <= 412:
        return "400-412"
    if number <= 422:
        return "413-422"
    if number <= 437:
        return "423-437"
    return "438-451" if number <= 451 else "452-466"


@dataclass
class Span:
    start: int
    end: int


@dataclass
class Doc:
    name: str
    batch: str
    expected: list[dict]
    rule_spans: list[tuple[int, int]]
    clauses: list  # Clause
    rows: list[list[int]]
    labels: list[int]
    starts_at: list[int]


_OLD_RULES = """
import json, sys
from datetime import date
sys.path.insert(0, sys.argv[1])
from tracker.rules.calendar import WorkCalendar
from tracker.rules.extract import UnitRef, extract
data = json.load(sys.stdin)
def unit(e):
    return UnitRef(code=e["code"], name=e["name"], short_name=e.get("short_name", ""),
                   aliases=tuple(e.get("aliases", ())), kind=e.get("kind", "department"))
shared = [unit(u) for u in data["shared"]]
out = {}
for name, text, issued, extra in data["docs"]:
    tasks = extract(text, shared + [unit(u) for u in extra], issued_on=date.fromisoformat(issued) if issued else None,
                    add_working_days=WorkCalendar().add_working_days)
    out[name] = [(t.start, t.end) for t in tasks]
json.dump(out, sys.stdout)
"""


def old_rule_spans(commit: str) -> dict[str, list[tuple[int, int]]]:
    """Run the rules of an earlier commit on every labelled text; return each one's task spans."""
    shared = json.loads((DATA / "units.json").read_text(encoding="utf-8"))["units"]
    docs = []
    for name, text, labels, _ in load_documents():
        docs.append((name, text, labels.get("issued_on"), labels.get("units", [])))
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "tracker"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        done = subprocess.run([sys.executable, "-c", _OLD_RULES, tmp], check=True, capture_output=True,
                              input=json.dumps({"shared": shared, "docs": docs}).encode("utf-8"), cwd=tmp)
    return {k: [tuple(s) for s in v] for k, v in json.loads(done.stdout).items()}


WITH_RULES = True


def prepare(commit: str | None = None) -> list[Doc]:
    """Return every labelled document with its clauses, their features and labels, and the rules' spans."""
    spans_of = old_rule_spans(commit) if commit else None
    out = []
    for name, text, labels, registry in load_documents():
        if spans_of is None:
            issued = labels.get("issued_on")
            from datetime import date
            tasks = extract(text, registry, issued_on=date.fromisoformat(issued) if issued else None,
                            add_working_days=WorkCalendar().add_working_days)
            spans = [(t.start, t.end) for t in tasks]
        else:
            spans = spans_of[name]
        view = TextView(text)
        assert view.text == text, name  # the set is NFC: offsets are the same
        mentions = UnitMatcher(registry).find(view)
        clauses = split_clauses(view, [(m.start, m.end) for m in mentions])
        names, _, starts_at = model.clause_rows(view, clauses, [m.start for m in mentions], spans,
                                                   with_rules=WITH_RULES)
        expected = labels["tasks"]
        gold = []
        for c in clauses:
            gold.append(int(any(c.start - 3 <= e["start"] < c.end for e in expected)))
        out.append(Doc(name, batch_of(name, labels.get("split", "dev")), expected, spans, clauses,
                       [model.hashed(n) for n in names], gold, starts_at))
    return out


def combine(doc: Doc, probs: list[float], drop: float, add: float) -> list[Span]:
    """The rules' spans, less those whose first clause the model rejects, plus clauses it is sure start a task."""
    kept = [Span(a, b) for (a, b), first in zip(doc.rule_spans, doc.starts_at) if probs[first] >= drop]
    added = []
    covered = [any(s.start < c.end and c.start < s.end for s in kept) for c in doc.clauses]
    i = 0
    while i < len(doc.clauses):
        if not covered[i] and probs[i] >= add:
            c = doc.clauses[i]
            j = i + 1
            while j < len(doc.clauses) and doc.clauses[j].sentence == c.sentence and not covered[j] \
                    and probs[j] < 0.5:
                j += 1
            added.append(Span(c.start, doc.clauses[j - 1].end))
            i = j
            continue
        i += 1
    return sorted(kept + added, key=lambda s: s.start)


def counts(docs: list[Doc], spans: list[list[Span]]) -> tuple[int, int, int]:
    """Return (proposed, expected, matched) over some documents."""
    p = e = m = 0
    for d, s in zip(docs, spans):
        p += len(s)
        e += len(d.expected)
        m += len(match(d.expected, s))
    return p, e, m


def f1(p: int, e: int, m: int) -> tuple[float, float, float]:
    """Return precision, recall, F1."""
    prec = m / p if p else 1.0
    rec = m / e if e else 1.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def fit(docs: list[Doc]) -> dict[int, float]:
    """Train the model on some documents."""
    rows = [r for d in docs for r in d.rows]
    labels = [y for d in docs for y in d.labels]
    return model.train(rows, labels)


def predict(weights: dict[int, float], doc: Doc) -> list[float]:
    return [model.probability(weights, r) for r in doc.rows]


def pick_thresholds(docs: list[Doc]) -> tuple[float, float]:
    """Choose (drop, add) by leave-one-batch-out inside `docs` (never looking at the batch held out)."""
    batches = sorted({d.batch for d in docs})
    probs: dict[str, list[float]] = {}
    for b in batches:
        w = fit([d for d in docs if d.batch != b])
        for d in docs:
            if d.batch == b:
                probs[d.name] = predict(w, d)
    best = (-1.0, 0.0, 1.01)
    for drop in DROPS:
        for add in ADDS:
            score = f1(*counts(docs, [combine(d, probs[d.name], drop, add) for d in docs]))[2]
            if score > best[0] + 1e-9:
                best = (score, drop, add)
    return best[1], best[2]


def cross_validate(docs: list[Doc], batches: list[str], fixed: tuple[float, float] | None = None,
                   ) -> list[tuple[str, tuple, tuple, tuple[float, float]]]:
    """For each batch: (batch, rules-only counts, rules+model counts, thresholds)."""
    out = []
    for b in batches:
        train_docs = [d for d in docs if d.batch != b]
        test_docs = [d for d in docs if d.batch == b]
        drop, add = fixed or pick_thresholds(train_docs)
        w = fit(train_docs)
        rules = counts(test_docs, [[Span(a, z) for a, z in d.rule_spans] for d in test_docs])
        both = counts(test_docs, [combine(d, predict(w, d), drop, add) for d in test_docs])
        alone = counts(test_docs, [combine(Doc(d.name, d.batch, d.expected, [], d.clauses, d.rows, d.labels, []),
                                           predict(w, d), 0.0, 0.5) for d in test_docs])
        out.append((b, rules, both, (drop, add), alone))
    return out


def honest_mix(today: list[Doc], prepared: dict[str, list[Doc]] | None, with_dev: bool = True) -> list[Doc]:
    """Every batch with the rules' decisions of the day it arrived: the fresh batches with the rules of their
    day, documents 1-115 with today's rules (their held-out part never taught a rule)."""
    prepared = prepared or {b: prepare(commit) for b, commit in AS_OF.items()}
    mix = [d for d in today if d.batch not in AS_OF and (with_dev or d.batch != "1-115 dev")]
    for b, old in prepared.items():
        mix += [d for d in old if d.batch == b]
    return mix


def _line(label: str, c: tuple[int, int, int]) -> str:
    p, r, f = f1(*c)
    return f"{label:14} prop {c[0]:4d} exp {c[1]:4d} match {c[2]:4d}  P {p:.2f} R {r:.2f} F1 {f:.2f}"


def report(rows: list, title: str) -> None:
    print(title)
    tot_r = [0, 0, 0]
    tot_m = [0, 0, 0]
    for b, rules, both, (drop, add), alone in rows:
        print(f"  batch {b:15} rules only: {_line('', rules)}")
        print(f"  {'':21} with model: {_line('', both)}   (drop < {drop}, add >= {add})")
        if not WITH_RULES:
            print(f"  {'':21} model alone:{_line('', alone)}   (a task where P >= 0.5)")
        for k in range(3):
            tot_r[k] += rules[k]
            tot_m[k] += both[k]
    print(f"  {'all':21} rules only: {_line('', tuple(tot_r))}")
    print(f"  {'':21} with model: {_line('', tuple(tot_m))}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--as-of", action="store_true", help="also score each fresh batch with the rules of its day")
    parser.add_argument("--honest", action="store_true",
                        help="train on each batch with the rules as they were before it (stacking without leakage)")
    parser.add_argument("--no-dev", action="store_true", help="with --honest: leave the development part out")
    parser.add_argument("--text-only", action="store_true", help="the model sees the text only, not the rules' decisions")
    parser.add_argument("--grid", action="store_true", help="also print every fixed (drop, add) pair (optimistic: chosen on the test)")
    args = parser.parse_args(argv)
    global WITH_RULES
    WITH_RULES = not args.text_only
    docs = prepare()
    prepared = {b: prepare(commit) for b, commit in AS_OF.items()} if (args.as_of or args.honest) else {}
    report(cross_validate(docs, list(BATCHES)), "Leave-one-batch-out, the rules of today (tuned on every batch):")
    if args.as_of:
        rows = []
        for b, old in prepared.items():
            rows += cross_validate(old, [b])
        report(rows, "Each fresh batch with the rules of the day it arrived (before any rule was written from it):")
        if args.grid:
            for drop in DROPS:
                for add in ADDS:
                    rows = []
                    for b, old in prepared.items():
                        rows += cross_validate(old, [b], fixed=(drop, add))
                    cells = " ".join(f"{row[0]} {f1(*row[2])[2]:.2f}" for row in rows)
                    print(f"  drop < {drop:4} add >= {add:4}: {cells}")
    if args.honest:
        mix = honest_mix(docs, prepared if args.as_of else None, with_dev=not args.no_dev)
        rows = cross_validate(mix, list(AS_OF))
        report(rows, "Each fresh batch with the rules of its day; the model trained on the other batches, each with the "
                     "rules of its own day" + (" (development part left out)" if args.no_dev else "") + ":")
        if args.grid:
            for drop in DROPS:
                for add in ADDS:
                    rows = cross_validate(mix, list(AS_OF), fixed=(drop, add))
                    cells = " ".join(f"{row[0]} {f1(*row[2])[2]:.2f}" for row in rows)
                    print(f"  drop < {drop:4} add >= {add:4}: {cells}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
