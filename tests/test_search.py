"""Full-text search (/search, the header box, GET /api/v1/search): what is found, how, and by whom.

Runs on SQLite (FTS5) and, with TEST_DATABASE_URL, on PostgreSQL (GIN index).
Reach is checked against the hand-written table of tests/tasks/test_access.py
(a search never finds, nor quotes, what the lists would not show) and, for
every demo user, against tracker.rules.reach on each result.
"""
from __future__ import annotations

import io
import random
import zlib
from datetime import date

import pytest
from lxml import html
from sqlalchemy import insert, select, update

from tests.api.conftest import Api
from tests.directives.test_directives import post_multipart
from tests.factories import Factory
from tests.tasks.pages import task_like, unit, user
from tests.tasks.test_access import (  # noqa: F401 - `world` is a fixture
    ALL,
    DIRECTIVE_OUT_OF_REACH,
    OUT_OF_REACH,
    world,
)
from tracker.database import db as _db
from tracker.demo import USERS
from tracker.models import Directive, SearchDoc, Task, Unit, User, task_cooperation
from tracker.rules import reach
from tracker.rules.search import passage, terms
from tracker.services import search as search_service
from tracker.services import workflow
from tracker.services.reach_sql import directive_visible_clause, task_visible_clause
from tracker.services.search import rebuild, search
from tracker.timeutil import today


def results(response) -> list[dict]:
    """The result list of the /search page: title, link, where, passage (as text and as HTML)."""
    doc = html.fromstring(response.get_data(as_text=True))
    out = []
    for item in doc.xpath("//ol[@class='search-results']/li"):
        link = item.xpath(".//a")[0]
        snippet = item.xpath(".//p[@class='snippet']")[0]
        out.append({"title": link.text_content(), "href": link.get("href"),
                    "where": item.xpath(".//span[contains(@class, 'badge')]")[0].text_content(),
                    "text": snippet.text_content(), "marked": [m.text_content() for m in snippet.xpath(".//mark")]})
    return out


@pytest.fixture
def api(app, demo, client):
    return Api(app, client)


def found_tasks(username: str, query: str) -> set[int]:
    hits, _total, _more = search(user(_db, username), query, 1, 200)
    return {h.task_id for h in hits if h.task_id}


def docx_bytes(*paragraphs: str) -> bytes:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf_bytes(line: str) -> bytes:
    """A one-page PDF with a text layer holding `line` (ASCII)."""
    stream = zlib.compress(f"BT /F1 12 Tf 72 720 Td ({line}) Tj ET".encode())
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- the pure part ----------------------------------------------------------------------------------

def test_terms_fold_accents_and_drop_punctuation():
    assert terms("Chuyển đổi SỐ!") == ["chuyen", "doi", "so"]
    assert terms("  ") == [] and terms("-- ;") == []
    assert terms("IPv6 ipv6") == ["ipv6"]


def test_the_passage_marks_the_words_and_escapes_everything_else():
    text = "Mở đầu. " + "x " * 200 + "Báo cáo <b>IPv6</b> & DNSSEC của Sở. " + "y " * 200
    shown = str(passage(text, terms("ipv6 dnssec")))
    assert "<mark>IPv6</mark>" in shown and "<mark>DNSSEC</mark>" in shown
    assert "&lt;b&gt;" in shown and "<b>" not in shown and "&amp;" in shown
    assert shown.startswith("…") and shown.endswith("…") and len(shown) < 400


# --- what is found ----------------------------------------------------------------------------------

def test_accents_case_and_order_find_the_same_task(login_as):
    client = login_as("nga.tt")
    ipv6 = task_like(_db, "Triển khai kế hoạch ứng dụng IPv6")
    for query in ("ứng dụng IPv6", "ung dung ipv6", "ỨNG DỤNG IPV6", "ipv6 dung ung"):
        response = client.get("/search", query_string={"q": query})
        assert response.status_code == 200
        rows = results(response)
        assert any(r["title"] == ipv6.title and r["href"] == f"/tasks/{ipv6.id}" for r in rows), query
        assert all(r["marked"] for r in rows), query
    assert ipv6.id not in {int(r["href"].rsplit("/", 1)[1]) for r in results(
        client.get("/search", query_string={"q": "ung dung ipv"})) if r["href"].startswith("/tasks/")}  # whole words
    empty = client.get("/search", query_string={"q": "zzqxw"})
    assert results(empty) == [] and "Không tìm thấy kết quả nào cho “zzqxw”." in empty.get_data(as_text=True)


def test_reports_directive_texts_and_attached_files_are_found(login_as, db):
    lan = login_as("lan.nt")
    task = task_like(db, "Triển khai kế hoạch ứng dụng IPv6")
    response = post_multipart(lan, f"/tasks/{task.id}/updates", {
        "progress": "60", "results": "Đã rà soát hệ thống thư điện tử công vụ.",
        "difficulties": "Thiếu kinh phí nâng cấp tường lửa.", "proposals": "", "report_number": "",
        "attachments": [(io.BytesIO(docx_bytes("Phụ lục: danh sách máy chủ Hải Vân")), "phu-luc.docx"),
                        (io.BytesIO(xlsx_bytes([["Đơn vị", "Số máy"], ["Sở Quốc phòng Lạng Giang", 12]])),
                         "bang.xlsx"),
                        (io.BytesIO(pdf_bytes("Bien ban nghiem thu Kronstadt")), "bien-ban.pdf")]})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    client = login_as("nga.tt")
    for query, where, shown in [("tường lửa", "Báo cáo tiến độ", "tường lửa"),
                                ("hai van", "Tệp đính kèm", "Hải Vân"),
                                ("lang giang", "Tệp đính kèm", "Lạng Giang"),
                                ("nghiệm thu kronstadt", "Tệp đính kèm", "Kronstadt")]:
        rows = results(client.get("/search", query_string={"q": query}))
        assert [(r["title"], r["where"]) for r in rows] == [(task.title, where)], query
        assert shown in rows[0]["marked"] or shown in " ".join(rows[0]["marked"]), (query, rows[0])

    # A completion report and the directive's own text.
    workflow.submit_completion(user(db, "lan.nt"), task, "Hoàn thành chuyển mạng lõi ra đảo Bạch Long Vĩ.", today())
    directive = task.directive
    directive.text = (directive.text or "") + "\nGiao Sở Tài chính bố trí kinh phí Thạch Hãn."
    db.session.commit()
    rows = results(client.get("/search", query_string={"q": "vĩ long bạch"}))
    assert [(r["title"], r["where"]) for r in rows] == [(task.title, "Báo cáo hoàn thành")]
    rows = results(client.get("/search", query_string={"q": "han thach"}))
    assert [r["where"] for r in rows] == ["Văn bản chỉ đạo"]
    assert rows[0]["href"] == f"/directives/{directive.id}" and rows[0]["marked"] == ["Thạch", "Hãn"]


def test_the_index_follows_edits_and_deletions(login_as, db):
    thu = user(db, "thu.lt")
    day = today()
    draft = workflow.create_directive(thu, workflow.DirectiveData(
        number="88/TB-UBND", kind="conclusion", title="Kết luận về cảng cá", issued_on=day,
        issuing_unit=unit(db, "UBND"), on_behalf_of=user(db, "hung.nv")))
    task = workflow.add_task(thu, draft, workflow.TaskData(
        title="Nạo vét luồng Cửa Việt", lead_unit=unit(db, "SKHCN"), deadline=None), day)
    db.session.commit()
    assert found_tasks("thu.lt", "cua viet") == {task.id}
    data = workflow.TaskData(title="Nạo vét luồng Cửa Tùng", lead_unit=task.lead_unit, deadline=None)
    workflow.update_task(thu, task, data, day, None)
    db.session.commit()
    assert found_tasks("thu.lt", "cua viet") == set()
    assert found_tasks("thu.lt", "cửa tùng") == {task.id}
    task_id = task.id
    workflow.remove_task(thu, task)
    db.session.commit()
    assert found_tasks("thu.lt", "cua tung") == set()
    assert db.session.scalar(select(SearchDoc.id).where(SearchDoc.task_id == task_id)) is None


def test_rebuilding_the_index_gives_what_the_flushes_kept(login_as, db):
    workflow.post_update(user(db, "lan.nt"), task_like(db, "Triển khai kế hoạch ứng dụng IPv6"),
                         workflow.UpdateData(progress=10, results="Kiểm thử <script>"), today())
    db.session.commit()

    def rows():
        return sorted(db.session.execute(select(SearchDoc.kind, SearchDoc.ref_id, SearchDoc.task_id,
                                                SearchDoc.directive_id, SearchDoc.body, SearchDoc.folded)).all())

    kept = rows()
    assert {r.kind for r in kept} >= {"task", "directive", "update", "completion"}
    assert rebuild(db.session.connection()) == len(kept)
    db.session.commit()
    assert rows() == kept
    assert found_tasks("nga.tt", "kiem thu script")


def test_hostile_text_is_shown_escaped(login_as, db):
    task = task_like(db, "Triển khai kế hoạch ứng dụng IPv6")
    workflow.post_update(user(db, "lan.nt"), task, workflow.UpdateData(
        progress=10, results='Mẫu <img src=x onerror="alert(1)"> Vĩnh Linh & "Gio Linh"'), today())
    db.session.commit()
    response = login_as("nga.tt").get("/search", query_string={"q": "vinh linh"})
    body = response.get_data(as_text=True)
    assert "<img src=x" not in body and "&lt;img src=x onerror=" in body
    assert results(response)[0]["marked"] == ["Vĩnh", "Linh", "Linh"]


# --- reach ------------------------------------------------------------------------------------------

SEARCHES = {  # words of each object of the access world, and of its progress report
    "draft": "Lập quy hoạch đô thị bí mật",
    "plan": "Tổng hợp dư luận báo chí hằng tuần",
    "press": "Hướng dẫn theo dõi đôn đốc",
}


@pytest.mark.parametrize("username", ALL)
def test_nobody_finds_or_reads_what_is_out_of_reach(world, login_as, db, username):  # noqa: F811
    client = login_as(username)
    api = Api(None, client)
    for name, words in SEARCHES.items():
        o = world[name]
        page = client.get("/search", query_string={"q": words, "per_page": 100})
        answer = api.get(username, f"/search?q={words}&per_page=200").get_json()
        shown = {r["href"] for r in results(page)}
        api_tasks = {i["task"] for i in answer["items"]}
        if username in OUT_OF_REACH[name]:
            assert f"/tasks/{o['task'].id}" not in shown and o["task"].id not in api_tasks, name
            assert o["task"].title not in str(results(page)) and o["task"].title not in str(answer), name
        else:
            assert f"/tasks/{o['task'].id}" in shown and o["task"].id in api_tasks, name
        if username in DIRECTIVE_OUT_OF_REACH[name]:
            assert o["directive"].number not in str(results(page)) + str(answer), name
    # The directives' own titles: found exactly where the directive may be seen.
    for name, words in [("draft", "Kết luận chưa ban hành về quy hoạch đô thị"),
                        ("plan", "Kế hoạch nội bộ của Sở về báo chí")]:
        hits, _total, _more = search(user(db, username), words, 1, 200)
        seen = world[name]["directive"].id in {h.directive_id for h in hits if h.where == "directive"}
        assert seen == (username not in DIRECTIVE_OUT_OF_REACH[name]), name
    # The difficulty of every report: found exactly on the tasks the user may see.
    visible = {world[n]["task"].id for n in ("plan", "press") if username not in OUT_OF_REACH[n]}
    assert found_tasks(username, "thiếu nhân lực") == visible


@pytest.mark.parametrize("username", [u.username for u in USERS])
def test_every_result_is_in_reach_by_the_rules(demo, db, username):
    """For common words, each result passes tracker.rules.reach, and the lists' tasks are all found."""
    searcher = user(db, username)
    for query in ("triển khai", "sở", "kế hoạch", "báo cáo", "IPv6", "chuyển đổi số"):
        hits, total, _more = search(searcher, query, 1, 200)
        assert len(hits) == total
        for hit in hits:
            if hit.task_id:
                assert reach.can_view_task(searcher, db.session.get(Task, hit.task_id)), (query, hit)
            else:
                assert reach.can_view_directive(searcher, db.session.get(Directive, hit.directive_id)), (query, hit)
        listed = {t.id for t in db.session.scalars(select(Task)) if reach.can_view_task(searcher, t)
                  and set(terms(query)) <= set(terms(t.title + " " + t.description))}
        assert listed <= {h.task_id for h in hits if h.where == "task"}, query


@pytest.mark.parametrize("seed", [1, 2])
def test_reach_on_random_data_is_the_lists_reach(demo, db, seed, monkeypatch):
    """Directives and tasks made at random (issuing unit, lead unit, assignee, cooperating units, published or
    not), all holding one word: every user finds exactly the tasks and directives the lists' reach shows
    (reach_sql.task_visible_clause and directive_visible_clause), whichever way the search applies it, and
    the rule's two forms (the lists', per row) keep the same rows."""
    rng = random.Random(seed)
    make = Factory()
    units = list(db.session.scalars(select(Unit).order_by(Unit.id)))
    people = list(db.session.scalars(select(User).order_by(User.id)))
    directives = []
    for _ in range(15):
        directive = make.directive("admin", issued_on=date(2025, 3, 1), title="Kết luận về hạ tầng vệ tinh")
        for _ in range(rng.randint(1, 4)):
            make.add_task(directive, "Triển khai hạ tầng vệ tinh", lead="UBND", on=date(2025, 3, 1))
        if rng.random() < 0.7:
            make.publish(directive, on=date(2025, 3, 2))
        directives.append(directive)
    db.session.flush()
    for directive in directives:  # reach's columns at random, beyond what the workflow would allow
        db.session.execute(update(Directive).where(Directive.id == directive.id)
                           .values(issuing_unit_id=rng.choice(units).id))
        for task in directive.tasks:
            db.session.execute(update(Task).where(Task.id == task.id).values(
                issuing_unit_id=rng.choice(units).id, lead_unit_id=rng.choice(units).id,
                assignee_id=rng.choice(people).id if rng.random() < 0.3 else None))
            parts = rng.sample(units, k=rng.choice([0, 0, 1, 2, 3]))
            if parts:
                db.session.execute(insert(task_cooperation), [{"task_id": task.id, "unit_id": u.id} for u in parts])
    db.session.commit()
    db.session.expire_all()
    made = {t.id for d in directives for t in d.tasks}
    for searcher in people:
        hits, total, _more = search(searcher, "ha tang ve tinh", 1, 500)
        assert len(hits) == total
        tasks = set(db.session.scalars(select(Task.id).where(Task.id.in_(made), task_visible_clause(searcher))))
        shown = set(db.session.scalars(select(Directive.id).where(Directive.id.in_([d.id for d in directives]),
                                                                   directive_visible_clause(searcher))))
        assert {h.task_id for h in hits if h.where == "task"} == tasks, searcher.username
        assert {h.directive_id for h in hits if h.where == "directive"} == shown, searcher.username
        with monkeypatch.context() as patch:  # a window too small for the page: every match, checked row by row
            patch.setattr(search_service, "CANDIDATES", 1)
            assert search(searcher, "ha tang ve tinh", 1, 500) == (hits, total, False), searcher.username
        # The rule's per-row form (the search's) keeps the very rows of the lists' form, and of the rules.
        assert set(db.session.scalars(select(Task.id).where(
            Task.id.in_(made), task_visible_clause(searcher, per_row=True)))) == tasks, searcher.username
        assert set(db.session.scalars(select(Directive.id).where(Directive.id.in_([d.id for d in directives]),
                                                                  directive_visible_clause(searcher, per_row=True)))) \
            == shown, searcher.username
        # ... with the reach's cooperations read once (the window's directives) as well.
        assert set(db.session.scalars(select(Directive.id).where(
            Directive.id.in_([d.id for d in directives]),
            directive_visible_clause(searcher, per_row=True, hashed=True)))) == shown, searcher.username
        assert set(db.session.scalars(select(Task.id).where(
            Task.id.in_(made), task_visible_clause(searcher, per_row=True, hashed=True)))) == tasks, searcher.username
        assert tasks == {t for t in made if reach.can_view_task(searcher, db.session.get(Task, t))}, searcher.username


# --- the API ----------------------------------------------------------------------------------------

def test_the_api_answers_as_the_contract_says(api):
    ipv6 = task_like(_db, "Triển khai kế hoạch ứng dụng IPv6")
    response = api.get("nga.tt", "/search?q=ipv6&per_page=2")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"items", "total", "page", "per_page"} and body["per_page"] == 2 and body["total"] >= 2
    first = body["items"][0]
    assert set(first) == {"task", "directive", "where", "snippet", "title", "url"}
    assert first["task"] == ipv6.id and first["directive"] == ipv6.directive_id and first["where"] == "task"
    assert "<mark>IPv6</mark>" in first["snippet"] and first["url"].endswith(f"/tasks/{ipv6.id}")
    assert api.get("nga.tt", "/search?q=ipv6&page=2&per_page=2").get_json()["items"][0] != first
    missing = api.get("nga.tt", "/search")
    assert missing.status_code == 422 and "q" in missing.get_json()["error"]["fields"]
    assert api.get(None, "/search?q=ipv6").status_code == 401
    assert api.get("nga.tt", "/search?q=%3B%3B").get_json() == {"items": [], "total": 0, "page": 1, "per_page": 50}


def test_broad_words_rank_the_newest_texts_and_say_more(demo, db, monkeypatch):
    """Past CANDIDATES matching texts, the page ranks the newest ones, the total says "more", and a page the
    window cannot fill is served from every match."""
    import tracker.services.search as service

    leader = user(db, "nga.tt")
    everything, total, more = search(leader, "triển khai", 1, 200)
    assert not more and len(everything) == total > 4
    monkeypatch.setattr(service, "CANDIDATES", 3)
    first, counted, more = search(leader, "triển khai", 1, 2)
    assert more and counted <= 3 and len(first) == 2
    assert {(h.where, h.task_id) for h in first} <= {(h.where, h.task_id) for h in everything}
    far, counted, more = search(leader, "triển khai", total // 2, 2)  # beyond the window: every match
    assert not more and counted == total and len(far) == 2


def test_the_page_says_more_when_the_count_stopped(login_as, monkeypatch):
    import tracker.services.search as service

    monkeypatch.setattr(service, "CANDIDATES", 3)
    body = login_as("nga.tt").get("/search", query_string={"q": "triển khai", "per_page": 2}).get_data(as_text=True)
    assert "Tổng cộng hơn" in body and 'rel="next"' in body


@pytest.mark.postgres_only
def test_the_stored_words_follow_every_write(login_as, db):
    """PostgreSQL keeps each row's words (`vector`) with its text: rows of an ORM flush, of an edit, of the
    Core inserts an import and a rebuild make; and what is found is found through them."""
    from sqlalchemy import insert, text

    from tracker.models.search import task_rows

    def stale() -> int:
        return db.session.scalar(text("SELECT count(*) FROM search_doc "
                                      "WHERE vector IS DISTINCT FROM to_tsvector('simple', folded)"))

    task = task_like(db, "Triển khai kế hoạch ứng dụng IPv6")
    workflow.post_update(user(db, "lan.nt"), task, workflow.UpdateData(progress=10, results="Kiểm thử tường lửa"),
                         today())
    db.session.commit()
    assert stale() == 0 and found_tasks("nga.tt", "tuong lua") == {task.id}
    db.session.execute(text("UPDATE search_doc SET folded = 'san bay' WHERE kind = 'update'"))
    db.session.execute(insert(SearchDoc), [{**row, "kind": "task", "ref_id": -1} for row in task_rows(
        [(task.id, "Cảng hàng không", "Mở rộng sân đỗ")])])
    assert stale() == 0
    assert rebuild(db.session.connection()) > 0 and stale() == 0
    db.session.commit()
    assert found_tasks("nga.tt", "tuong lua") == {task.id}


def test_a_unit_added_to_ones_reach_is_searched_at_once(login_as, db):
    """The units of a reach are kept per worker until the units change (views_util.keep_reach_units): a
    division added under a department is in its leader's very next search."""
    from tracker.services.units import add_unit

    hai = login_as("hai.nv")
    assert results(hai.get("/search", query_string={"q": "khảo sát Cồn Cỏ"})) == []  # the reach's units kept now
    add_unit("TEST-CONCO", "Phòng Thử nghiệm", kind="division", parent=user(db, "hai.nv").unit)
    db.session.commit()
    Factory().published_tasks([{"title": "Khảo sát trạm quan trắc Cồn Cỏ", "lead": "TEST-CONCO", "assignee": None,
                                "deadline": date(2031, 3, 2)}])
    rows = results(hai.get("/search", query_string={"q": "khảo sát Cồn Cỏ"}))
    assert [r["title"] for r in rows] == ["Khảo sát trạm quan trắc Cồn Cỏ"]
