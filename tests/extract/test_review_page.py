"""The conclusion assistant's review page: propose, review, save all at once or nothing."""
import io
import re

from docx import Document
from sqlalchemy import func, select

from tracker.models import Directive, Task, Unit


def _seed_directive(db):
    return db.session.scalar(select(Directive).where(Directive.number == "125/TB-UBND"))


def _rows(html: str) -> int:
    return len(re.findall(r'name="rows-\d+-title"', html))


def test_review_page_proposes_the_seed_tasks_with_their_unit(login_as, db):
    directive = _seed_directive(db)
    page = login_as("thu.lt").get(f"/directives/{directive.id}/extract")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count('class="proposal"') >= 8  # each proposed task highlighted in the text
    assert "Triển khai kế hoạch ứng dụng IPV6" in html or "Triển khai kế hoạch ứng dụng IPv6" in html
    stttt = db.session.scalar(select(Unit).where(Unit.code == "SKHCN"))
    assert html.count(f'<option value="{stttt.id}" selected>') >= 8


def test_saving_keeps_only_ticked_rows_and_the_user_edits(login_as, db):
    directive = _seed_directive(db)
    before = db.session.scalar(select(func.count()).select_from(Task).where(Task.directive_id == directive.id))
    stttt = db.session.scalar(select(Unit).where(Unit.code == "SKHCN"))
    snv = db.session.scalar(select(Unit).where(Unit.code == "SNV"))
    data = {
        "count": "3", "text": "…",
        "rows-0-include": "1", "rows-0-title": "Triển khai IPv6 (sửa)", "rows-0-lead_unit_id": str(stttt.id),
        "rows-0-deadline": "2026-12-31", "rows-0-cooperating": [str(snv.id)],
        "rows-1-title": "Không lưu dòng này", "rows-1-lead_unit_id": str(stttt.id), "rows-1-ongoing": "1",
        "rows-2-include": "1", "rows-2-title": "Thường xuyên theo dõi", "rows-2-lead_unit_id": str(stttt.id),
        "rows-2-ongoing": "1",
    }
    response = login_as("thu.lt").post(f"/directives/{directive.id}/extract/save", data=data)
    assert response.status_code == 302
    titles = set(db.session.scalars(select(Task.title).where(Task.directive_id == directive.id)))
    assert "Triển khai IPv6 (sửa)" in titles and "Thường xuyên theo dõi" in titles
    assert "Không lưu dòng này" not in titles
    after = db.session.scalar(select(func.count()).select_from(Task).where(Task.directive_id == directive.id))
    assert after == before + 2
    task = db.session.scalar(select(Task).where(Task.title == "Triển khai IPv6 (sửa)"))
    assert [u.code for u in task.cooperating_units] == ["SNV"]


def test_one_bad_row_saves_nothing_and_keeps_the_input(login_as, db):
    directive = _seed_directive(db)
    before = db.session.scalar(select(func.count()).select_from(Task))
    stttt = db.session.scalar(select(Unit).where(Unit.code == "SKHCN"))
    data = {"count": "2", "text": "văn bản",
            "rows-0-include": "1", "rows-0-title": "Việc tốt", "rows-0-lead_unit_id": str(stttt.id),
            "rows-0-deadline": "2026-12-31",
            "rows-1-include": "1", "rows-1-title": "Việc thiếu đơn vị", "rows-1-deadline": "2026-12-31"}
    response = login_as("thu.lt").post(f"/directives/{directive.id}/extract/save", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choose the lead unit." in html or "chọn đơn vị chủ trì" in html.lower()
    assert "Việc tốt" in html and "Việc thiếu đơn vị" in html
    assert db.session.scalar(select(func.count()).select_from(Task)) == before


def test_a_docx_upload_is_read_and_a_fake_docx_is_refused(login_as, db):
    directive = _seed_directive(db)
    client = login_as("thu.lt")
    document = Document()
    document.add_paragraph("Kết luận cuộc họp, Chủ tịch UBND tỉnh giao Sở Nội vụ chủ trì rà soát biên chế "
                           "trước ngày 30/6/2027.")
    buffer = io.BytesIO()
    document.save(buffer)
    ok = client.post(f"/directives/{directive.id}/extract",
                     data={"document": (io.BytesIO(buffer.getvalue()), "ket-luan.docx")},
                     content_type="multipart/form-data")
    assert ok.status_code == 200
    assert "rà soát biên chế" in ok.get_data(as_text=True)
    fake = client.post(f"/directives/{directive.id}/extract",
                       data={"document": (io.BytesIO(b"\x00\x01binary"), "ket-luan.docx")},
                       content_type="multipart/form-data")
    assert fake.status_code == 422
    assert "docx" in fake.get_data(as_text=True).lower()


def test_empty_and_oversized_text(login_as, db):
    directive = _seed_directive(db)
    client = login_as("thu.lt")
    empty = client.post(f"/directives/{directive.id}/extract", data={"text": "   "})
    assert empty.status_code == 200 and _rows(empty.get_data(as_text=True)) == 0
    huge = client.post(f"/directives/{directive.id}/extract", data={"text": "Giao Sở Nội vụ rà soát. " * 50_000})
    assert huge.status_code == 422


def test_only_the_issuing_side_may_use_the_assistant(login_as, db):
    directive = _seed_directive(db)
    assert login_as("lan.nt").get(f"/directives/{directive.id}/extract").status_code == 403
    assert login_as("binh.lv").get(f"/directives/{directive.id}/extract").status_code in (403, 404)


COLLECTIVE_TEXT = ("Kết luận cuộc họp như sau: Yêu cầu các sở, ban, ngành rà soát thủ tục hành chính. "
                   "Đề nghị tăng cường quản lý dân cư trên địa bàn. "
                   "Giao Sở Nội vụ tổng hợp, báo cáo UBND tỉnh trước ngày 20 hằng tháng.")


def test_a_collective_is_shown_as_written_and_a_recurrence_beside_the_deadline(login_as, db):
    directive = _seed_directive(db)
    html = login_as("thu.lt").post(f"/directives/{directive.id}/extract",
                                   data={"text": COLLECTIVE_TEXT}).get_data(as_text=True)
    assert "<strong>các sở, ban, ngành</strong>" in html
    assert 'name="rows-0-expand"' in html  # the choice to give one task per unit
    assert 'name="rows-1-expand"' not in html  # no collective, no such choice
    # The instruction without an actor has no lead selected.
    row1 = html.split('id="row-2"')[1].split("</fieldset>")[0]
    assert "selected>" not in row1.split('name="rows-1-cooperating"')[0]
    row2 = html.split('id="row-3"')[1].split("</fieldset>")[0]
    assert "20" in row2 and ('class="hint recurrence"' in row2)


def test_a_row_without_a_lead_is_refused_with_a_message_at_the_field(login_as, db):
    directive = _seed_directive(db)
    before = db.session.scalar(select(func.count()).select_from(Task))
    data = {"count": "1", "text": COLLECTIVE_TEXT, "rows-0-include": "1", "rows-0-title": "Rà soát thủ tục",
            "rows-0-collective": "các sở, ban, ngành", "rows-0-deadline": "2026-12-31"}
    response = login_as("thu.lt").post(f"/directives/{directive.id}/extract/save", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="rows-0-lead-error"' in html and 'aria-invalid="true"' in html
    assert db.session.scalar(select(func.count()).select_from(Task)) == before


def test_a_collective_expanded_gives_one_task_per_ticked_unit_or_one_task_kept(login_as, db):
    directive = _seed_directive(db)
    snv = db.session.scalar(select(Unit).where(Unit.code == "SNV"))
    stttt = db.session.scalar(select(Unit).where(Unit.code == "SKHCN"))
    data = {"count": "2", "text": COLLECTIVE_TEXT,
            "rows-0-include": "1", "rows-0-title": "Rà soát thủ tục (mỗi sở)", "rows-0-collective": "các sở, ban, ngành",
            "rows-0-deadline": "2026-12-31", "rows-0-expand": [str(snv.id), str(stttt.id)],
            "rows-1-include": "1", "rows-1-title": "Rà soát thủ tục (một việc)", "rows-1-collective": "các sở, ban, ngành",
            "rows-1-deadline": "2026-12-31", "rows-1-lead_unit_id": str(snv.id)}
    response = login_as("thu.lt").post(f"/directives/{directive.id}/extract/save", data=data)
    assert response.status_code == 302
    each = db.session.scalars(select(Task).where(Task.title == "Rà soát thủ tục (mỗi sở)")).all()
    assert sorted(t.lead_unit.code for t in each) == ["SKHCN", "SNV"]
    one = db.session.scalars(select(Task).where(Task.title == "Rà soát thủ tục (một việc)")).all()
    assert [t.lead_unit.code for t in one] == ["SNV"]


def test_a_row_without_a_lead_asks_for_one_before_saving(login_as, db):
    directive = _seed_directive(db)
    html = login_as("thu.lt").post(f"/directives/{directive.id}/extract",
                                   data={"text": COLLECTIVE_TEXT}).get_data(as_text=True)
    collective = html.split('id="row-1"')[1].split("</fieldset>")[0]
    assert 'aria-describedby="rows-0-lead-hint"' in collective
    assert "Giao cho một nhóm đơn vị: chọn đơn vị chủ trì, hoặc giao mỗi đơn vị bên dưới một nhiệm vụ." in collective
    no_actor = html.split('id="row-2"')[1].split("</fieldset>")[0]
    assert "Văn bản không nêu đơn vị chủ trì: vui lòng chọn trước khi lưu." in no_actor
    named = html.split('id="row-3"')[1].split("</fieldset>")[0]
    assert "lead-hint" not in named  # the Department of Home Affairs is named: nothing to ask


def test_a_proposed_recurrence_is_saved_as_a_periodic_task_unless_unticked(login_as, db):
    directive = _seed_directive(db)
    thu = login_as("thu.lt")
    html = thu.post(f"/directives/{directive.id}/extract", data={"text": COLLECTIVE_TEXT}).get_data(as_text=True)
    row = html.split('id="row-3"')[1].split("</fieldset>")[0]
    assert 'name="rows-2-recur" value="month:20"' in row and 'name="rows-2-recur_on" value="1" checked' in row
    snv = db.session.scalar(select(Unit).where(Unit.code == "SNV"))
    data = {"count": "2", "text": COLLECTIVE_TEXT,
            "rows-0-include": "1", "rows-0-title": "Tổng hợp, báo cáo trước ngày 20 hằng tháng",
            "rows-0-lead_unit_id": str(snv.id), "rows-0-recur": "month:20", "rows-0-recur_on": "1",
            "rows-1-include": "1", "rows-1-title": "Báo cáo hằng quý (bỏ định kỳ)", "rows-1-lead_unit_id": str(snv.id),
            "rows-1-recur": "quarter:", "rows-1-deadline": "2026-12-31"}
    response = thu.post(f"/directives/{directive.id}/extract/save", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    periodic = db.session.scalar(select(Task).where(Task.title.startswith("Tổng hợp, báo cáo trước ngày 20")))
    assert (periodic.recur_every, periodic.recur_day, periodic.deadline) == ("month", 20, None)
    assert periodic.occurrences and all(o.deadline.day == 20 for o in periodic.occurrences)
    one_off = db.session.scalar(select(Task).where(Task.title.startswith("Báo cáo hằng quý")))
    assert (one_off.recur_every, one_off.deadline.isoformat()) == (None, "2026-12-31")
