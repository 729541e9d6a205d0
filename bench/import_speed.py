"""Time `flask import tasks` on the Office's spreadsheet of 10,000 rows: the median of repeated runs.

Run from the repository root:

    .venv/bin/python bench/import_speed.py [--rows 10000] [--runs 3] [--database-url postgresql://...]

The script writes an .xlsx like the Office's (a title row, its own headers, ~10 tasks per document,
unit names written every way: full, short, without diacritics; two in three rows done with their
date, some ongoing, some deadlines as "Quý III/2024"), prepares a database holding the demo units
and users, then for each run starts from that database and times the command as an operator runs
it (`flask --app wsgi import tasks FILE`, a new process: start-up, reading, checking, writing,
commit). A second run on the same database checks that importing again creates nothing. The issue
asks for under 30 s; the script prints the median and the slowest run, writes
bench/results/<date>-import-<rows>.json and exits non-zero above the limit.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LIMIT_S = 30.0
HEADERS = ["STT", "Số, ký hiệu", "Ngày ban hành", "Trích yếu", "Nội dung nhiệm vụ", "Đơn vị chủ trì",
           "Đơn vị phối hợp", "Thời hạn", "Tình trạng", "Ghi chú"]
LEADS = ["Sở Nội vụ", "so noi vu", "Sở Tài chính", "Sở TT&TT", "Sở Thông tin và Truyền thông", "Sở KH&ĐT",
         "Sở Kế hoạch và Đầu tư", "Đài PTTH", "UBND huyện Phú Lộc", "thi xa Huong Tra", "Sở VHTT&DL"]
VERBS = ["Rà soát", "Xây dựng", "Triển khai", "Báo cáo", "Kiểm tra", "Tham mưu", "Hoàn thiện", "Tổ chức"]
OBJECTS = ["thủ tục hành chính", "kế hoạch chuyển đổi số", "đề án phát triển du lịch", "hạ tầng mạng",
           "công tác cải cách hành chính", "dự toán ngân sách", "quy hoạch đô thị", "hồ sơ một cửa"]


def make_sheet(path: Path, rows: int, seed: int = 1) -> None:
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Nhiệm vụ")
    sheet.append(["DANH MỤC NHIỆM VỤ UBND TỈNH GIAO"])
    sheet.append(HEADERS)
    today = date.today()
    line, doc = 0, 0
    while line < rows:
        doc += 1
        issued = today - timedelta(days=rng.randint(30, 5 * 365))
        number = f"{doc}/{rng.choice(['TB', 'KH', 'QĐ'])}-UBND"
        summary = f"Kết luận của Chủ tịch UBND tỉnh số {doc}"
        for n in range(min(rng.randint(5, 15), rows - line)):
            line += 1
            deadline = issued + timedelta(days=rng.randint(15, 365))
            roll = rng.random()
            if roll < 0.1:
                due = "Thường xuyên"
            elif roll < 0.2:
                due = f"Quý {['I', 'II', 'III', 'IV'][(deadline.month - 1) // 3]}/{deadline.year}"
            else:
                due = deadline.strftime("%d/%m/%Y")
            done = min(today - timedelta(days=1), deadline + timedelta(days=rng.randint(-30, 40)))
            status = f"Đã hoàn thành ngày {done:%d/%m/%Y}" if rng.random() < 0.66 and done >= issued \
                else "Đang thực hiện"
            lead = rng.choice(LEADS)
            coop = ", ".join(c for c in rng.sample(["Sở Tài chính", "Sở Nội vụ", "Sở KH&ĐT"], k=rng.randint(0, 2))
                             if c != lead)
            sheet.append([line, number, issued.strftime("%d/%m/%Y"), summary if n == 0 else "",
                          f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} (nhiệm vụ {line})", lead, coop, due, status,
                          ""])
    book.save(path)


def prepare_database(url: str | None, folder: Path) -> str:
    """A database with the demo units and users; for SQLite a file copied before each run."""
    from config import database_url
    from tracker import create_app
    from tracker.database import db
    from tracker.demo import load_demo

    url = database_url(url or f"sqlite:///{folder / 'base.db'}")
    app = create_app("development", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_demo(directives=False)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return url


def reset(url: str, folder: Path) -> str:
    if url.startswith("sqlite:///"):
        run_db = folder / "run.db"
        shutil.copyfile(folder / "base.db", run_db)
        return f"sqlite:///{run_db}"
    prepare_database(url, folder)
    return url


def run_import(url: str, sheet: Path) -> tuple[float, str]:
    env = {**os.environ, "DATABASE_URL": url, "APP_ENV": "development", "FLASK_APP": "wsgi"}
    started = time.perf_counter()
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "import", "tasks", str(sheet)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"import failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed, result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sheet = folder / "nhiem-vu.xlsx"
        make_sheet(sheet, args.rows)
        base = prepare_database(args.database_url, folder)
        times, summary = [], ""
        for n in range(args.runs):
            url = reset(base, folder)
            seconds, summary = run_import(url, sheet)
            times.append(seconds)
            print(f"run {n + 1}: {seconds:.1f} s  ({summary})")
        again, again_summary = run_import(url, sheet)
        print(f"again on the same database: {again:.1f} s  ({again_summary})")
    median = statistics.median(times)
    backend = "postgresql" if base.startswith("postgresql") else "sqlite"
    print(f"{args.rows} rows on {backend}: median {median:.1f} s, slowest {max(times):.1f} s (limit {LIMIT_S:.0f} s)")
    out = ROOT / "bench" / "results" / f"{date.today().isoformat()}-import-{backend}-{args.rows}.json"
    out.write_text(json.dumps({"rows": args.rows, "backend": backend, "runs_s": [round(t, 2) for t in times],
                               "median_s": round(median, 2), "again_s": round(again, 2),
                               "summary": summary, "again_summary": again_summary}, indent=2) + "\n")
    if median > LIMIT_S:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
