#!/usr/bin/env python3
"""Benchmark the reminders of one working day: planning them, then sending them.

    .venv/bin/python bench/reminders.py [--size 20000] [--repeat 7] [--sends 3] [--database-url URL]

On the benchmark data (bench/run's, cached under bench/results/data/ for
SQLite; a PostgreSQL database given by URL or BENCH_DATABASE_URL is filled
when empty), for the first working day from today:

- the dry run: what is due, to whom, what is queued already;
- the real run: the same, queuing the in-app notifications and e-mails
  (rolled back after each run);
- sending: the day's e-mails are queued and committed, then the dispatcher
  sends them to a local aiosmtpd server that accepts everything at once
  (the server of the tests, with no delay, in a process of its own), over
  one SMTP connection;
  the rate is messages per second. The rows queued are deleted afterwards,
  so the data stays as generated.

Medians over the runs; results go to bench/results/<date>-reminders-<db>-<size>.json.
`--no-prepare` skips the data step (to time another checkout on the same data).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import runpy
import socket
import statistics
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


SERVER = """
import sys, time
from aiosmtpd.controller import Controller

class Sink:
    count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"

sink = Sink()
controller = Controller(sink, hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
for line in sys.stdin:  # "count" asks how many messages it accepted; end of input stops it
    print(sink.count, flush=True)
controller.stop()
"""


class Sink:
    """An aiosmtpd server in a process of its own (as a mail server is) that accepts every message at once."""

    def __init__(self, port: int) -> None:
        import subprocess

        self.process = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "ready"

    @property
    def count(self) -> int:
        self.process.stdin.write("count\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def median_of(times: list[float]) -> dict:
    times = sorted(times)
    return {"median_ms": round(statistics.median(times) * 1000, 1), "min_ms": round(times[0] * 1000, 1),
            "max_ms": round(times[-1] * 1000, 1), "runs": len(times)}


def working_day():
    from tracker.models import load_calendar
    from tracker.timeutil import today

    day, calendar = today(), load_calendar()
    return day if calendar.is_working_day(day) else calendar.next_working_day(day)


def measure_planning(repeat: int) -> dict:
    """Dry and real runs of the planner for the working day (inside an app context), rolled back each time."""
    from tracker.database import db
    from tracker.mail import AppMailer
    from tracker.services.planner import plan_reminders

    day = working_day()
    counts: dict[str, int] = {}

    def run(dry_run: bool) -> float:
        started = time.perf_counter()
        planned = plan_reminders(day, mailer=AppMailer(), dry_run=dry_run)
        elapsed = time.perf_counter() - started
        counts["planned"] = len(planned)
        counts["emails"] = sum(1 for p in planned if p.email)
        db.session.rollback()
        return elapsed

    results = {}
    for label, dry in (("dry run", True), ("real run (queues e-mails and notifications)", False)):
        run(dry)  # warm-up
        results[label] = median_of([run(dry) for _ in range(repeat)])
    results["planned"] = {"value": counts["planned"], "emails": counts["emails"], "day": day.isoformat()}
    return results


def measure_sending(app, sink: Sink, runs: int) -> dict:
    """Queue the day's reminders, commit, and time the dispatcher sending them all; clean up after each run."""
    from sqlalchemy import delete, func, select

    from tracker.database import db
    from tracker.dispatch import dispatch
    from tracker.mail import AppMailer
    from tracker.models import Notification, OutboxMessage
    from tracker.services.planner import plan_reminders

    with app.app_context():
        day = working_day()
    rates, times, sent_counts = [], [], []
    for _ in range(runs):
        with app.app_context():
            last_mail = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
            last_note = db.session.scalar(select(func.max(Notification.id))) or 0
            plan_reminders(day, mailer=AppMailer())
            db.session.commit()
            queued = db.session.scalar(select(func.count()).where(OutboxMessage.id > last_mail,
                                                                   OutboxMessage.state == "pending"))
        before = sink.count
        with app.app_context():
            started = time.perf_counter()
            result = dispatch()
            elapsed = time.perf_counter() - started
        with app.app_context():
            db.session.execute(delete(OutboxMessage).where(OutboxMessage.id > last_mail))
            db.session.execute(delete(Notification).where(Notification.id > last_note))
            db.session.commit()
        received = sink.count - before
        assert result["sent"] == queued == received, (result, queued, received)
        sent_counts.append(received)
        times.append(elapsed)
        rates.append(received / elapsed)
    return {"messages": sent_counts[-1], "seconds": median_of(times),
            "messages_per_second": round(statistics.median(rates), 1),
            "rates": [round(r, 1) for r in rates]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--sends", type=int, default=3)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--no-prepare", action="store_true", help="use the data as it is (no generation, no migration)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--label", default="", help="a name for this checkout in the JSON (e.g. before/after)")
    args = parser.parse_args()
    from tracker import create_app

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    url = args.database_url
    if url:
        from config import database_url

        url = database_url(url)
    if args.no_prepare:
        url = url or f"sqlite:///{out / 'data' / f'bench-{args.size}.db'}"
    else:
        url = runpy.run_path(str(ROOT / "bench" / "run"), run_name="bench_run")["prepare"](
            args.size, url, out / "data")
    port = free_port()
    sink = Sink(port)
    try:
        app = create_app("development", SQLALCHEMY_DATABASE_URI=url, MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                         BASE_URL="https://tracker.example.gov.vn", MAIL_DEFAULT_SENDER="tracker@example.gov.vn")
        with app.app_context():
            planning = measure_planning(args.repeat)
        sending = measure_sending(app, sink, args.sends)
    finally:
        sink.stop()
    database = url.split(":", 1)[0].split("+")[0]
    planned = planning["planned"]
    print(f"{args.size:,} tasks, {database}, {planned['day']}: {planned['value']} reminders planned "
          f"({planned['emails']} by e-mail)")
    for label in ("dry run", "real run (queues e-mails and notifications)"):
        row = planning[label]
        print(f"  planning, {label:45s} median {row['median_ms']:8.1f} ms  (min {row['min_ms']}, max {row['max_ms']})")
    print(f"  sending {sending['messages']} e-mails to a local SMTP server: median {sending['seconds']['median_ms']:.0f} ms,"
          f" {sending['messages_per_second']} messages/s (runs: {sending['rates']})")
    record = {"size": args.size, "database": database, "label": args.label,
              "when": datetime.now(timezone.utc).isoformat(),
              "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                          "load": os.getloadavg()},
              "command": " ".join(sys.argv), "planning": planning, "sending": sending}
    suffix = f"-{args.label}" if args.label else ""
    name = out / f"{date.today().isoformat()}-reminders-{database}-{args.size}{suffix}.json"
    name.write_text(json.dumps(record, indent=2, ensure_ascii=False))
    print(f"  written {name.relative_to(ROOT) if name.is_relative_to(ROOT) else name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
