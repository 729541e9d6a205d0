"""Regenerate the README's screenshots (docs/screenshots/*.png) from the demo data: `make screenshots`.

Builds a throw-away demo database (migrations + `tracker.demo.load_demo()`) in a temporary
folder, serves it on a free loopback port, and photographs the main pages in Debian's
Chromium through Playwright: 1280 pixels wide, full page; "my tasks" on a 390-pixel phone.
The PNGs are shrunk with Pillow when it is installed, and kept as Chromium wrote them otherwise.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
PASSWORD = "tracker-demo"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def demo_app(folder: Path):
    """The app on a new SQLite file holding the demo data, as `flask init-db --demo` makes it."""
    import flask_migrate

    from tracker import create_app
    from tracker.database import db
    from tracker.demo import load_demo

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'tracker.db'}",
                     WTF_CSRF_ENABLED=True, UPLOAD_FOLDER=str(folder / "uploads"),
                     OUTBOX_FOLDER=str(folder / "outbox"))
    with app.app_context():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            flask_migrate.upgrade()
        load_demo()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return app


def ids(app) -> dict[str, int]:
    """The demo's directive and the tasks shown, found by their text (ids may change with the demo)."""
    from sqlalchemy import select

    from tracker.database import db
    from tracker.models import Directive, Task

    with app.app_context():
        found = {
            "directive": db.session.scalar(select(Directive.id).where(Directive.number == "125/TB-UBND")),
            "task": db.session.scalar(select(Task.id).where(Task.title.contains("đề án phát thanh"))),
        }
        db.session.remove()
    return found


def import_sheet(folder: Path) -> Path:
    """A spreadsheet as the Office keeps it, with the problems the import preview points out."""
    from datetime import date, timedelta

    from openpyxl import Workbook

    year = date.today().year - 1
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH MỤC NHIỆM VỤ UBND TỈNH GIAO"])
    sheet.append(["STT", "Số, ký hiệu", "Ngày", "Trích yếu", "Nội dung nhiệm vụ", "Đơn vị chủ trì",
                  "Đơn vị phối hợp", "Thời hạn", "Tình trạng", "Ghi chú"])
    issued = date(year, 3, 4)
    rows = [
        ("15/TB-UBND", issued, "Kết luận về cải cách hành chính", "Rà soát thủ tục hành chính", "Sở Nội vụ",
         "Sở Tài chính, Sở TT&TT", date(year, 6, 30), f"Đã hoàn thành ngày 12/7/{year}"),
        ("15/TB-UBND", issued, "", "Số hóa hồ sơ một cửa", "so tttt", "", date(year, 9, 30),
         f"Đã hoàn thành ngày 20/9/{year}"),
        ("15/TB-UBND", issued, "", "Tuyên truyền cải cách hành chính", "Đài PTTH", "", "Thường xuyên",
         "Đang thực hiện"),
        ("220/UBND-KT", date(year, 11, 12), "Về việc đầu tư hạ tầng số", "Lập kế hoạch đầu tư hạ tầng số",
         "Sở KH&ĐT", "", f"Quý I/{year + 1}", ""),
        ("220/UBND-KT", date(year, 11, 12), "", "Thẩm định kinh phí", "Sở Tài chánh", "",
         date(year, 12, 31), ""),
        ("31/TB-UBND", "31/02/" + str(year), "", "Báo cáo sơ kết", "Sở Nội vụ", "", "", ""),
        ("15/TB-UBND", issued, "", "Rà soát thủ tục hành chính", "Sở Nội vụ", "", date(year, 6, 30), ""),
        ("15/TB-UBND", issued, "", "Hoàn thiện hạ tầng mạng", "Sở Nội vụ", "", issued + timedelta(days=60),
         "Hoàn thành"),
    ]
    for n, row in enumerate(rows, start=1):
        sheet.append([n, *row, ""])
    path = folder / "nhiem-vu.xlsx"
    book.save(path)
    return path


# file name, user, path, phone[, spreadsheet uploaded on the import page first]
def shots(found: dict[str, int]) -> list[tuple]:
    return [
        ("dashboard.png", "nga.tt", "/dashboard", False),
        ("directive.png", "thu.lt", f"/directives/{found['directive']}", False),
        ("task.png", "nga.tt", f"/tasks/{found['task']}", False),
        ("my-tasks-phone.png", "lan.nt", "/tasks?view=mine", True),
        ("assistant-review.png", "thu.lt", f"/directives/{found['directive']}/extract", False),
        ("notifications.png", "nga.tt", "/notifications", False),
        ("import-preview.png", "thu.lt", "/directives/import", False, "import"),
        ("unit-history.png", "admin", "/admin/units", False),
    ]


def shrink(path: Path) -> None:
    """Fewer colours, same pixels' look: a UI screenshot needs no more than 256 colours."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"), help="folder of the PNGs")
    parser.add_argument("--only", action="append", help="take only this screenshot (file name; repeatable)")
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        print(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *a, **k):
            pass

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app = demo_app(Path(tmp))
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                states: dict[str, dict] = {}
                for name, user, path, phone, *upload in shots(ids(app)):
                    if args.only and name not in args.only:
                        continue
                    options = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if phone \
                        else {"viewport": DESKTOP}
                    context = browser.new_context(base_url=base, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                                  storage_state=states.get(user), **options)
                    page = context.new_page()
                    if user not in states:
                        page.goto("/login")
                        page.fill("#username", user)
                        page.fill("#password", PASSWORD)
                        page.click("button[type=submit]")
                        page.wait_for_url(lambda url: "/login" not in url)
                        states[user] = context.storage_state()
                    page.goto(path)
                    if upload:
                        page.set_input_files("#import-file", str(import_sheet(Path(tmp))))
                        page.locator("form:has(#import-file) button[type=submit]").click()
                        page.wait_for_url(lambda url: url.rstrip("/") != base + path)
                    page.wait_for_load_state("networkidle")
                    target = out / name
                    page.screenshot(path=str(target), full_page=True, animations="disabled", caret="hide")
                    shrink(target)
                    print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: "
                          f"{target.stat().st_size // 1024} KB")
                    context.close()
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
