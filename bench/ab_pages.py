#!/usr/bin/env python3
"""Two checkouts side by side on the same data: a few pages' medians, the checkouts taking turns.

    .venv/bin/python bench/ab_pages.py --database-url URL [--rounds 4] [--requests 150] OLD_ROOT NEW_ROOT

Each round runs one process per checkout, one after the other (old, new, old, new, ...), so a shared
machine's drifting speed falls on both alike. A process signs in as the province leader and a
department's leader of the benchmark data (bench/generate.py) and times, in process through the
whole WSGI stack (as bench/run), each page with its counts kept and right after a change (the page
cache off), and the search of a word found in one task of 15. Prints one line per process and, at
the end, the median over rounds of each page per checkout with the ratio new / old. Another
checkout of this repository: `git worktree add /tmp/old <commit>`.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

PAGES = [("province overdue", "leader", "/tasks?view=all&status=overdue"),
         ("dept overdue", "dept", "/tasks?view=unit&status=overdue"),
         ("dashboard", "leader", "/dashboard"),
         ("dept search, 1 task in 15", "dept", "/search?q=ipv6")]


def one_process(root: str, url: str, requests: int) -> dict[str, float]:
    """Run in a fresh interpreter with `root` first on the path (its tracker package)."""
    sys.path.insert(0, root)
    from sqlalchemy import select

    from tracker import create_app
    from tracker.database import db
    from tracker.models import Unit, User

    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False,
                     LOGIN_MAX_FAILURES_PER_IP=10**6)
    with app.app_context():
        root_unit = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
        department = db.session.scalar(select(Unit).where(Unit.parent_id == root_unit.id, Unit.kind == "department")
                                       .order_by(Unit.id))
        names = {"leader": db.session.scalar(select(User.username).where(User.unit_id == root_unit.id,
                                                                           User.role == "leader")),
                 "dept": db.session.scalar(select(User.username).where(User.unit_id == department.id,
                                                                         User.role == "leader"))}
    clients = {}
    for who, name in names.items():
        clients[who] = app.test_client()
        assert clients[who].post("/login", data={"username": name, "password": "bench-password"}).status_code == 302
    out = {}
    for label, who, path in PAGES:
        for kept in (True, False):
            if label == "dashboard" and kept:
                continue  # kept whole: not a measure of the queries
            app.config["PAGE_CACHE"] = kept
            for _ in range(5):
                clients[who].get(path)
            times = []
            for _ in range(requests if label != "dashboard" else max(10, requests // 4)):
                started = time.perf_counter()
                assert clients[who].get(path).status_code == 200, path
                times.append((time.perf_counter() - started) * 1000)
            out[label + ("" if kept else ", after a change")] = statistics.median(times)
            app.config["PAGE_CACHE"] = True
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--requests", type=int, default=150)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # one checkout's process: its medians as JSON on the last line
        print(json.dumps(one_process(args.new, args.database_url, args.requests)))
        return 0
    runs: dict[str, list[dict]] = {"old": [], "new": []}
    for _ in range(args.rounds):
        for side in ("old", "new"):
            root = str(Path(getattr(args, side)).resolve())
            done = subprocess.run([sys.executable, __file__, "--child", "--database-url", args.database_url,
                                   "--requests", str(args.requests), root, root],
                                  capture_output=True, text=True, check=True, cwd=root)
            medians = json.loads(done.stdout.strip().splitlines()[-1])
            runs[side].append(medians)
            print(side, " | ".join(f"{k}: {v:.2f}" for k, v in medians.items()), flush=True)
    print("\nmedian over rounds, ms: old / new (new ÷ old)")
    for key in runs["old"][0]:
        old = statistics.median(r[key] for r in runs["old"])
        new = statistics.median(r[key] for r in runs["new"])
        print(f"  {key:38s} {old:8.2f} / {new:8.2f}  ({new / old:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
