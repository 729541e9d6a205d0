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


# file name, user, path, phone
def shots(found: dict[str, int]) -> list[tuple[str, str, str, bool]]:
    return [
        ("dashboard.png", "nga.tt", "/dashboard", False),
        ("directive.png", "thu.lt", f"/directives/{found['directive']}", False),
        ("task.png", "nga.tt", f"/tasks/{found['task']}", False),
        ("my-tasks-phone.png", "lan.nt", "/tasks?view=mine", True),
        ("assistant-review.png", "thu.lt", f"/directives/{found['directive']}/extract", False),
        ("notifications.png", "nga.tt", "/notifications", False),
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
                for name, user, path, phone in shots(ids(app)):
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
