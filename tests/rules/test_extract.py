"""Conclusion text -> proposed tasks: the seed, deadlines, units, splitting, bad input, quality floor."""
from __future__ import annotations

import importlib.util
import json
import sys
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest

from tracker.rules.calendar import WorkCalendar
from tracker.rules.extract import MAX_TEXT_CHARS, ExtractError, ProposedTask, UnitRef, extract

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "conclusions"
SEED = DATA / "01-seed-stttt-2020-05-29.txt"

UNITS = [
    UnitRef("UBND", "Ủy ban nhân dân tỉnh", "UBND tỉnh", kind="province"),
    UnitRef("STTTT", "Sở Thông tin và Truyền thông", "Sở TT&TT", ("Sở TTTT", "STTTT")),
    UnitRef("STC", "Sở Tài chính"),
    UnitRef("SKHDT", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", ("Sở KHĐT",)),
    UnitRef("SNV", "Sở Nội vụ"),
    UnitRef("SXD", "Sở Xây dựng"),
    UnitRef("CAT", "Công an tỉnh", kind="agency"),
    UnitRef("HOIAN", "Ủy ban nhân dân thành phố Hội An", "UBND thành phố Hội An", kind="district"),
    UnitRef("DUYXUYEN", "Ủy ban nhân dân huyện Duy Xuyên", "UBND huyện Duy Xuyên", kind="district"),
    UnitRef("DAILOC", "Ủy ban nhân dân huyện Đại Lộc", "UBND huyện Đại Lộc", kind="district"),
]
DEPARTMENTS = ["STTTT", "STC", "SKHDT", "SNV", "SXD"]
DISTRICTS = ["HOIAN", "DUYXUYEN", "DAILOC"]
ISSUED = date(2020, 5, 29)


def run(text: str, **kwargs) -> list[ProposedTask]:
    """Extract with the test registry, issued on 29 May 2020 unless told otherwise."""
    kwargs.setdefault("issued_on", ISSUED)
    return extract(text, UNITS, **kwargs)


def only(text: str, **kwargs) -> ProposedTask:
    """Extract exactly one task."""
    tasks = run(text, **kwargs)
    assert len(tasks) == 1, [t.title for t in tasks]
    return tasks[0]


# --- the seed ------------------------------------------------------------------

SEED_TASKS = [
    "Tiếp tục Hướng dẫn, theo dõi, đôn đốc các cơ quan báo chí",
    "Hoàn thiện đề án phát thanh – truyền hình trình UBND tỉnh phê duyệt",
    "Chuẩn bị tốt nội dung, điều kiện tham gia hội thi tuyên truyền biển đảo tại tỉnh Quảng Nam",
    "Triển khai kế hoạch ứng dụng IPV6",
    "Triển khai kế hoạch triển khai thử nghiệm trục liên thông chia sẻ dữ liệu LGSP tỉnh",
    "Triển khai các giải pháp triển khai Chính phủ điện tử, đô thị thông minh",
    "Tham mưu nội dung phục vụ hoạt động của Ban Chỉ đạo chính quyền điện tử",
    "Rà soát Kế hoạc ứng dụng CNTT",
    "Tăng cường công tác kiểm tra, giám sát",
]


def test_seed_gives_the_tasks_a_reader_lists_all_for_the_department():
    text = SEED.read_text(encoding="utf-8")
    tasks = run(text)
    assert len(tasks) == len(SEED_TASKS)
    for task, expected in zip(tasks, SEED_TASKS):
        assert task.title.startswith(expected)
        assert task.lead_unit == "STTTT"
        assert task.deadline is None and not task.ongoing
        assert task.unknown_units == []
    # The spans point at the tasks in the text, in order.
    assert [text[t.start:t.end][:20] for t in tasks][:2] == ["tiếp tục Hướng dẫn, ", "Hoàn thiện đề án phá"]
    assert all(a.end <= b.start for a, b in zip(tasks, tasks[1:]))
    # The 2021-2025 plan is built with the sectors and localities: the phrase, not every unit of the province.
    assert tasks[7].cooperating_units == []
    assert tasks[7].cooperating_collective == ["các ngành, địa phương"]


def test_seed_exhortations_and_report_are_not_tasks():
    text = SEED.read_text(encoding="utf-8")
    titles = " | ".join(t.title for t in run(text))
    for phrase in ("đoàn kết", "ghi nhận", "đánh giá cao", "Chủ động phối hợp", "đã tích cực tham mưu",
                   "hoàn thành các nhiệm vụ trọng tâm"):
        assert phrase not in titles


# --- deadlines ----------------------------------------------------------------

@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("trước ngày 30/6/2020", date(2020, 6, 30)),
        ("trước ngày 30-6-2020", date(2020, 6, 30)),
        ("trước 15/7", date(2020, 7, 15)),
        ("trước ngày 15/01", date(2021, 1, 15)),  # no year, and 15 January 2020 is before the directive
        ("chậm nhất ngày 05/12/2020", date(2020, 12, 5)),
        ("trước 14 giờ, ngày 05/12/2020", date(2020, 12, 5)),
        ("trướcngày 20/11/2020", date(2020, 11, 20)),
        ("trong tháng 7/2021", date(2021, 7, 31)),
        ("trong tháng 2 năm 2024", date(2024, 2, 29)),
        ("trong tháng 9", date(2020, 9, 30)),
        ("trong quý III/2022", date(2022, 9, 30)),
        ("trong quý 4 năm 2020", date(2020, 12, 31)),
        ("trước quý III/2022", date(2022, 6, 30)),
        ("trước ngày 31 tháng 12 năm 2020", date(2020, 12, 31)),
        ("trước ngày 15 tháng 8", date(2020, 8, 15)),
        ("trong 6 tháng cuối năm", date(2020, 12, 31)),
        ("trong 6 tháng đầu năm 2021", date(2021, 6, 30)),
        ("trong năm 2020", date(2020, 12, 31)),
        ("trước năm 2022", date(2021, 12, 31)),
        ("trong 10 ngày", ISSUED + timedelta(days=10)),
        ("trong vòng 3 tháng", date(2020, 8, 29)),
        ("trong 10 ngày kể từ ngày ký", ISSUED + timedelta(days=10)),
        ("trước 20.7.2020", date(2020, 7, 20)),
    ],
)
def test_deadline_forms(phrase, expected):
    task = only(f"Giao Sở Tài chính chủ trì, tổng hợp báo cáo kết quả {phrase}.")
    assert task.deadline == expected
    assert not task.ongoing
    assert phrase not in task.title  # the deadline has its own field


def test_ongoing():
    task = only("Giao Công an tỉnh thường xuyên kiểm tra, xử lý vi phạm.")
    assert task.ongoing and task.deadline is None
    assert only("Sở Nội vụ định kỳ hằng quý báo cáo UBND tỉnh.").ongoing


def test_working_days_use_the_calendar_when_given():
    text = "Giao Sở Tài chính trả lời đơn của công dân; báo cáo UBND tỉnh trong 15 ngày làm việc."
    calendar = WorkCalendar()
    with_calendar = only(text, issued_on=date(2021, 4, 8), add_working_days=calendar.add_working_days)
    assert with_calendar.deadline == calendar.add_working_days(date(2021, 4, 8), 15) == date(2021, 5, 4)
    without = only(text, issued_on=date(2021, 4, 8))
    assert without.deadline == date(2021, 4, 23)  # calendar days
    assert only(text, issued_on=None).deadline is None  # nothing to count from


def test_a_deadline_in_its_own_sentence_applies_to_the_whole_assignment():
    tasks = run("Giao Sở Xây dựng kiểm tra hiện trạng công trình; có văn bản trả lời công dân. "
                "Thời gian hoàn thành trước ngày 20/11/2020.")
    assert [t.deadline for t in tasks] == [date(2020, 11, 20)] * 2


def test_working_days_counted_from_the_signature():
    calendar = WorkCalendar()
    task = only("Giao Sở Nội vụ xây dựng đề án, hoàn thành trong 10 ngày làm việc kể từ ngày ký.",
                issued_on=date(2020, 5, 29), add_working_days=calendar.add_working_days)
    assert task.deadline == date(2020, 6, 12) and task.title == "Xây dựng đề án"


@pytest.mark.parametrize("period", ["giai đoạn 2021-2025, định hướng đến năm 2030", "tầm nhìn đến năm 2050",
                                    "báo cáo Quý I/2015", "kịp thời"])
def test_plan_and_reporting_periods_are_not_deadlines(period):
    task = only(f"Giao Sở Xây dựng triển khai kế hoạch {period}.")
    assert task.deadline is None and not task.ongoing


def test_a_reference_date_is_not_a_deadline():
    task = only("Giao Sở Tài chính tham gia ý kiến vào dự thảo theo Công văn số 12/BTC ngày 15/5/2020.")
    assert task.deadline is None


# --- units ----------------------------------------------------------------------

def test_lead_and_cooperating_units():
    task = only("Giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính và Sở Xây dựng "
                "rà soát danh mục dự án, báo cáo UBND tỉnh trước ngày 15/7/2020.")
    assert task.lead_unit == "SKHDT"
    assert task.cooperating_units == ["STC", "SXD"]
    assert task.title == "Rà soát danh mục dự án, báo cáo UBND tỉnh"
    assert task.deadline == date(2020, 7, 15)


@pytest.mark.parametrize("name", ["Sở TT&TT", "SỞ TT&TT", "Sở TTTT", "Sở Thông tin và Truyền thông",
                                  "sở thông tin và truyền thông", "So Thong tin va Truyen thong", "STTTT"])
def test_units_are_found_whatever_the_accents_case_and_short_form(name):
    assert only(f"Đề nghị {name} khẩn trương hoàn thiện đề án chuyển đổi số.").lead_unit == "STTTT"


def test_unknown_units_are_reported_not_dropped():
    task = only("Giao Sở ABC chủ trì, phối hợp với Sở Tài chính kiểm tra việc sử dụng kinh phí.")
    assert task.lead_unit is None
    assert task.unknown_units == ["Sở ABC"]
    assert task.cooperating_units == ["STC"]
    coop = only("Giao Sở Nội vụ chủ trì, phối hợp với Trung tâm Phục vụ hành chính công rà soát thủ tục.")
    assert coop.lead_unit == "SNV" and coop.unknown_units == ["Trung tâm Phục vụ hành chính công"]


def test_collective_addressees_are_kept_as_written_not_expanded():
    districts = only("Yêu cầu UBND các huyện, thị xã, thành phố rà soát, báo cáo số hộ nghèo trước ngày 30/6/2020.")
    assert districts.lead_unit is None
    assert districts.collective == "UBND các huyện, thị xã, thành phố"
    assert districts.cooperating_units == []
    departments = only("Giao các sở, ban, ngành theo chức năng, nhiệm vụ được giao triển khai thực hiện Kế hoạch số 5.")
    assert departments.lead_unit is None and departments.collective == "các sở, ban, ngành"
    vague = only("Giao Sở Tài chính chủ trì, phối hợp với các sở, ngành liên quan thẩm định dự toán.")
    assert vague.lead_unit == "STC" and vague.collective is None
    assert vague.cooperating_units == [] and vague.cooperating_collective == ["các sở, ngành liên quan"]
    each = only("Từng sở, ngành cần phải có kế hoạch cụ thể để triển khai.")
    assert each.lead_unit is None and each.collective == "Từng sở, ngành"


def test_instructions_without_a_named_actor_are_proposed_with_no_lead():
    tasks = run("Kết luận cuộc họp như sau: Đề nghị tăng cường quản lý dân cư trên địa bàn. "
                "Yêu cầu quản lý chặt chẽ nguồn vắc xin, không để quá hạn.")
    assert [t.lead_unit for t in tasks] == [None, None]
    assert tasks[0].title.startswith("Tăng cường quản lý dân cư")


def test_a_second_instruction_after_a_semicolon_or_dong_thoi_names_another_unit():
    tasks = run("Giao Sở Xây dựng kiểm tra hiện trạng công trình; đồng thời giao Sở Tài chính bố trí kinh phí sửa chữa.")
    assert [t.lead_unit for t in tasks] == ["SXD", "STC"]


def test_a_deadline_written_before_the_unit():
    task = only("Chủ tịch UBND tỉnh yêu cầu đến 30/5/2016 Sở Nội vụ phải có phương án sắp xếp bộ máy.",
                issued_on=date(2016, 5, 10))
    assert task.lead_unit == "SNV" and task.deadline == date(2016, 5, 30)


@pytest.mark.parametrize(
    ("phrase", "every", "day"),
    [("hằng tháng", "month", None), ("trước ngày 20 hằng tháng", "month", 20), ("hàng quý", "quarter", None),
     ("định kỳ 6 tháng, năm", "half_year", None), ("hằng năm", "year", None)],
)
def test_recurrence(phrase, every, day):
    task = only(f"Giao Sở Nội vụ tổng hợp, báo cáo UBND tỉnh kết quả thực hiện {phrase}.")
    assert task.recurrence == {"every": every, "day": day}
    assert task.deadline is None and task.ongoing


def test_not_instructions():
    for text in [
        "Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc các sở, ban, ngành chịu trách nhiệm thi hành Quyết định này./.",
        "QUYẾT ĐỊNH:\nĐiều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp.",
        "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ;",
    ]:
        assert run(text) == [], text


def test_a_collective_after_a_registered_unit_is_read_too():
    task = only("Chủ tịch UBND tỉnh chỉ đạo thủ trưởng các sở, ban, ngành trực thuộc UBND tỉnh; Chủ tịch UBND các "
                "huyện, thành phố khẩn trương xây dựng đề án sắp xếp bộ máy.")
    assert task.lead_unit is None and task.collective.startswith("thủ trưởng các sở, ban, ngành")
    assert "Chủ tịch UBND các huyện, thành phố" in task.collective
    assert task.cooperating_units == []  # "trực thuộc UBND tỉnh" qualifies the departments


def test_an_ellipsis_glued_to_the_next_sentence_still_ends_it():
    tasks = run("Giao Sở Xây dựng chuẩn bị tốt cơ sở vật chất…Ban Chỉ đạo kỳ thi cần có phương án dự phòng.")
    assert len(tasks) == 2 and "phương án dự phòng" in tasks[1].title and tasks[1].lead_unit is None
    assert tasks[1].unknown_units == ["Ban Chỉ đạo kỳ thi"]


def test_a_news_lead_repeating_the_instruction_is_one_task():
    tasks = run("Chủ tịch UBND tỉnh yêu cầu Sở Xây dựng khẩn trương kiểm tra chất lượng công trình trường học.\n"
                "Ngày 20/5/2020, UBND tỉnh nhận được báo cáo của huyện về sự cố tại công trình.\n"
                "Sau khi xem xét, Chủ tịch UBND tỉnh có ý kiến chỉ đạo:\n"
                "Giao Sở Xây dựng chủ trì kiểm tra chất lượng công trình trường học, báo cáo trước ngày 15/6/2020.")
    assert len(tasks) == 1 and tasks[0].title.startswith("Kiểm tra chất lượng") and tasks[0].lead_unit == "SXD"
    assert tasks[0].deadline == date(2020, 6, 15)


def test_a_procedure_described_without_any_assignment_is_not_a_task():
    assert run("Định kỳ từ ngày 1 đến ngày 5 hằng tháng, các đơn vị được phân công phải cập nhật kết quả giải quyết "
               "lên phần mềm. Tổng hợp, báo cáo kết quả cho Thường trực vào ngày 10 hằng tháng.") == []


def test_what_was_done_under_a_report_heading_is_not_a_task():
    tasks = run("Kết quả thực hiện Chương trình 6 tháng đầu năm\n1. Công tác chỉ đạo, điều hành\n"
                "UBND tỉnh đã tổ chức hội nghị tổng kết. Chỉ đạo các huyện xây dựng kế hoạch năm 2016. "
                "Tổ chức phát động làm đường giao thông nông thôn.\n"
                "2. Nhiệm vụ thời gian tới\nGiao Sở Xây dựng rà soát quy hoạch nông thôn mới.")
    assert [t.lead_unit for t in tasks] == ["SXD"]


def test_more_collective_forms_and_a_passive_instruction():
    towns = only("UBND các huyện, thành, thị cần xây dựng kế hoạch chi tiết.")
    assert towns.collective == "UBND các huyện, thành, thị" and towns.title == "Xây dựng kế hoạch chi tiết"
    passive = only("Kết luận cuộc họp: Các chế độ báo cáo sẽ được rà soát, cắt giảm trong quý III/2025.")
    assert passive.lead_unit is None and passive.collective is None and passive.deadline == date(2025, 9, 30)
    assert run("Sở Tài chính sẽ trình UBND tỉnh dự toán trong tháng 7.") == []  # a forecast


def test_a_second_addressee_after_a_comma_and_dong_thoi():
    tasks = run("Giao Sở Xây dựng kiểm tra công trình, đồng thời Sở Tài chính bố trí kinh phí sửa chữa.")
    assert [(t.lead_unit, t.title) for t in tasks] == [("SXD", "Kiểm tra công trình"),
                                                       ("STC", "Bố trí kinh phí sửa chữa")]
    one = only("Giao Sở Xây dựng kiểm tra công trình, đồng thời báo cáo UBND tỉnh kết quả.")
    assert one.lead_unit == "SXD"


def test_a_voters_request_is_not_an_instruction_but_the_reply_is():
    assert run("Cử tri xã Hồng Quang đề nghị UBND tỉnh đầu tư nâng cấp tuyến đường ĐT 186.") == []
    reply = only("Về kiến nghị của cử tri xã Hồng Quang, UBND tỉnh đề nghị Sở Xây dựng kiểm tra tuyến đường ĐT 186.")
    assert reply.lead_unit == "SXD"
    committee = only("Ủy ban nhân dân tỉnh đề nghị Sở Tài chính bố trí kinh phí sửa chữa.")
    assert committee.lead_unit == "STC"


def test_background_convening_procedures_and_captions_are_not_tasks():
    recalled = run("Tại Thông báo số 12/TB-UBND ngày 5/5/2020, UBND tỉnh giao Sở Xây dựng kiểm tra công trình. "
                   "Đến nay, Sở Xây dựng chưa báo cáo. Chủ tịch UBND tỉnh yêu cầu Sở Xây dựng khẩn trương báo cáo "
                   "trước ngày 10/6/2020.")
    assert [(t.title, t.deadline) for t in recalled] == [("Khẩn trương báo cáo", date(2020, 6, 10))]
    assert run("THÔNG BÁO\nTriệu tập họp Ban Chỉ đạo\nChủ tịch UBND tỉnh triệu tập cuộc họp như sau:\n"
               "1. Thời gian: 8 giờ 00, ngày 15/7/2020.\n2. Nội dung: Nghe Sở Xây dựng báo cáo tiến độ dự án.\n"
               "3. Thành phần: Giám đốc Sở Xây dựng, Giám đốc Sở Tài chính.\n"
               "4. Giao Sở Xây dựng chuẩn bị tài liệu họp.") == []
    procedure = run("Kết luận như sau: Giao Sở Xây dựng kiểm tra công trình. Quy trình: Sở Xây dựng tiếp nhận hồ sơ, "
                    "kiểm tra trong 5 ngày; Sở Tài chính thẩm định trong 3 ngày.")
    assert [t.title for t in procedure] == ["Kiểm tra công trình"]
    caption = run("Tại buổi làm việc, Chủ tịch UBND tỉnh yêu cầu Sở Xây dựng kiểm tra công trình trường học\n"
                  "Ảnh: Chủ tịch UBND tỉnh yêu cầu Sở Xây dựng kiểm tra công trình\n"
                  "Chủ tịch UBND tỉnh cũng yêu cầu Sở Tài chính bố trí kinh phí.")
    assert [t.lead_unit for t in caption] == ["SXD", "STC"]


def test_usual_abbreviations_are_known_without_aliases():
    units = [UnitRef("SKHCN", "Sở Khoa học và Công nghệ"), UnitRef("STTTT", "Sở Thông tin và Truyền thông"),
             UnitRef("SKHDT", "Sở Kế hoạch và Đầu tư"), UnitRef("SGTVT", "Sở Giao thông vận tải"),
             UnitRef("SLDTBXH", "Sở Lao động - Thương binh và Xã hội"), UnitRef("STC", "Sở Tài chính")]
    task = extract("Giao Sở KH-CN chủ trì, phối hợp Sở TT&TT, Sở KH&ĐT, Sở GTVT và Sở LĐ-TB&XH xây dựng đề án.", units)[0]
    assert task.lead_unit == "SKHCN" and task.cooperating_units == ["STTTT", "SKHDT", "SGTVT", "SLDTBXH"]
    assert extract("Giao Sở KHCN rà soát.", units)[0].lead_unit == "SKHCN"


def test_a_task_whose_parts_follow_gom_is_one_task():
    tasks = run("Chủ tịch UBND tỉnh yêu cầu các sở, ban, ngành, các Ban Quản lý dự án chuyên ngành, các chủ đầu tư "
                "khẩn trương đánh giá tình hình thực hiện kế hoạch đầu tư công, chia theo từng nguồn vốn, gồm:\n"
                "- vốn ngân sách trung ương;\n- vốn ngân sách địa phương.")
    assert len(tasks) == 1 and tasks[0].collective.endswith("các chủ đầu tư")
    assert tasks[0].end == len("Chủ tịch UBND tỉnh yêu cầu các sở, ban, ngành, các Ban Quản lý dự án chuyên ngành, "
                               "các chủ đầu tư khẩn trương đánh giá tình hình thực hiện kế hoạch đầu tư công, chia "
                               "theo từng nguồn vốn, gồm:\n- vốn ngân sách trung ương;\n- vốn ngân sách địa phương")


def test_the_fatherland_front_committee_is_one_unknown_addressee():
    task = only("Chủ tịch UBND tỉnh đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, Thủ trưởng các sở, ban, ngành "
                "triển khai thực hiện tốt công tác tuyên truyền.")
    assert task.unknown_units == ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"] and task.lead_unit is None
    assert task.collective and "các sở, ban, ngành" in task.collective


def test_a_collective_subject_after_a_preamble_and_a_leaders_chi_dao_colon():
    tasks = run("Phát biểu kết luận cuộc họp, Chủ tịch UBND tỉnh đánh giá cao kết quả năm 2019.\n"
                "Theo Chủ tịch UBND tỉnh, quý I là thời điểm Tết, vì vậy các ngành, địa phương cần kiểm soát chặt chẽ "
                "hàng giả; xử lý nghiêm các hành vi buôn bán pháo nổ.")
    assert [t.collective for t in tasks] == ["các ngành, địa phương"] * 2
    assert tasks[0].title.startswith("Kiểm soát chặt chẽ hàng giả") and tasks[0].deadline is None
    said = run("Sau khi nghe các sở báo cáo, ông Trần Văn A chỉ đạo: Sở Xây dựng phối hợp với Sở Tài chính rà soát "
               "lại toàn bộ hồ sơ dự án. Ông chỉ đạo các sở, ngành cần chuẩn bị kỹ báo cáo, gửi UBND tỉnh chậm nhất "
               "ngày 30-6.")
    assert [(t.lead_unit, t.collective, t.deadline) for t in said] == [
        ("SXD", None, None), (None, "các sở, ngành", date(2020, 6, 30))]


def test_a_request_told_in_the_past_and_clauses_that_complete_a_task():
    text = ("Theo đó, ngân sách trung ương đã tạm ứng cho tỉnh 680 triệu đồng; đồng thời đề nghị tỉnh có báo cáo "
            "kết quả thực hiện.\n\nTại công văn mới này, Bộ Tài chính yêu cầu UBND các huyện, thị xã, thành phố "
            "sử dụng số vốn được hỗ trợ để khắc phục hậu quả; chịu trách nhiệm quản lý số kinh phí trên đúng mục "
            "đích; báo cáo việc phân bổ và kết quả thực hiện. Cùng với đó, UBND các huyện, thị xã, thành phố sử "
            "dụng nguồn ngân sách địa phương để hỗ trợ giống cây trồng.")
    tasks = run(text)
    assert [t.title[:22] for t in tasks] == ["Sử dụng số vốn được hỗ", "Sử dụng nguồn ngân sác"]
    assert text[tasks[0].start:tasks[0].end].endswith("báo cáo việc phân bổ và kết quả thực hiện")


def test_examples_after_nhu_are_parts_and_an_adverb_does_not_hide_the_past():
    tasks = run("Đồng chí Chủ tịch yêu cầu các sở, ngành làm rõ một số nội dung như: Tình trạng nợ đọng thuế; nợ đọng "
                "bảo hiểm xã hội; việc giải phóng mặt bằng còn chậm.\nSau khi nghe báo cáo, đồng chí đã phát biểu kết "
                "luận, trong đó giải đáp các kiến nghị, đồng thời giao các ngành chức năng kịp thời tham mưu thực hiện "
                "các kiến nghị hợp lý.")
    assert [t.collective for t in tasks] == ["các sở, ngành", "các ngành chức năng"]
    assert run("Ngay từ đầu năm 2021, tỉnh đã chủ động chỉ đạo các sở, ngành chức năng tập trung đẩy nhanh tiến độ "
               "các dự án trọng điểm.") == []


def test_a_briefing_meeting_and_a_headline_before_the_dateline_assign_nothing():
    assert run("Huy động tổng lực, đẩy nhanh tiến độ Dự án cấp nước Khu kinh tế\nChiều 27/11, Phó Chủ tịch UBND tỉnh "
               "chủ trì giao ban nghe báo cáo tiến độ thi công các hạng mục của Dự án cấp nước.") == []
    task = only("Điều 2. Ban Chỉ đạo cải cách hành chính tỉnh có trách nhiệm giúp UBND tỉnh theo dõi, đôn đốc việc "
                "thực hiện kế hoạch.")
    assert task.lead_unit is None and task.unknown_units == ["Ban Chỉ đạo cải cách hành chính tỉnh"]


def test_a_meeting_called_in_a_news_item_still_gives_its_instructions_and_a_directive_opens_with_chi_thi():
    task = only("Chủ tịch UBND tỉnh triệu tập cuộc họp khẩn về phòng chống bão số 3. Tại cuộc họp, Chủ tịch UBND "
                "tỉnh yêu cầu Sở Xây dựng kiểm tra an toàn các công trình.")
    assert task.lead_unit == "SXD"
    tasks = run("CHỈ THỊ\nVề tăng cường phòng chống dịch\nChủ tịch UBND tỉnh chỉ thị:\n"
                "1. Tăng cường công tác kiểm tra, giám sát dịch bệnh tại cửa khẩu.\n"
                "2. Sở Xây dựng chủ trì rà soát các khu cách ly.")
    assert [(t.lead_unit, t.title) for t in tasks] == [
        (None, "Tăng cường công tác kiểm tra, giám sát dịch bệnh tại cửa khẩu"), ("SXD", "Rà soát các khu cách ly")]


def test_an_assessment_in_the_past_does_not_hide_the_instruction_after_it():
    task = only("Kết luận cuộc họp như sau: Thời gian qua, Sở Xây dựng đã có nhiều cố gắng trong công tác quản lý; "
                "đề nghị Sở Xây dựng tiếp tục rà soát các dự án chậm tiến độ.")
    assert task.lead_unit == "SXD" and task.title == "Tiếp tục rà soát các dự án chậm tiến độ"


def test_a_notice_cited_by_a_news_item_is_not_background():
    tasks = run("Tại Thông báo số 45/TB-UBND ngày 5/5/2020, Chủ tịch UBND tỉnh yêu cầu Sở Xây dựng kiểm tra công "
                "trình. Chủ tịch cũng đề nghị Sở Tài chính bố trí kinh phí.")
    assert [t.lead_unit for t in tasks] == ["SXD", "STC"]


def test_a_regulation_pasted_alone_assigns_nothing_and_a_wrapped_number_stays_in_its_sentence():
    assert run("QUY ĐỊNH\nQUẢN LÝ, BẢO TRÌ CÔNG TRÌNH ĐƯỜNG BỘ\n(Ban hành kèm theo Quyết định số 33/2015/QĐ-UBND)\n"
               "Điều 1. Phạm vi điều chỉnh\nViệc quản lý đường giao thông nông thôn thực hiện theo Thông tư số\n"
               "32/2014/TT-BGTVT của Bộ Giao thông vận tải hướng dẫn về quản lý đường giao thông nông thôn.") == []
    task = only("Giao Sở Xây dựng kiểm tra công trình theo Thông tư số\n32/2014/TT-BGTVT của Bộ Giao thông vận tải "
                "hướng dẫn về quản lý.")
    assert task.lead_unit == "SXD" and task.title.endswith("hướng dẫn về quản lý")


def test_a_meetings_conclusion_told_in_the_past_by_the_news_is_an_instruction():
    task = only("Sau khi nghe ý kiến của các thành viên dự họp, Chủ tịch UBND tỉnh đã chỉ đạo các sở, ban, ngành và "
                "địa phương tập trung rà soát các dự án chậm tiến độ.")
    assert task.collective == "các sở, ban, ngành và địa phương"
    assert run("Năm 2022, UBND tỉnh đã chỉ đạo các sở, ngành tập trung rà soát các dự án chậm tiến độ.") == []


def test_items_numbered_in_parentheses_a_report_of_orders_given_and_a_report_named():
    tasks = run("Kết luận phiên họp, Chủ tịch yêu cầu các cơ quan, đơn vị, địa phương: (1) Tập trung thực hiện mục "
                "tiêu kép; rà soát các nhiệm vụ trọng tâm; (2) Đẩy nhanh tiến độ giải ngân các công trình.")
    assert [t.title for t in tasks] == ["Tập trung thực hiện mục tiêu kép", "Rà soát các nhiệm vụ trọng tâm",
                                        "Đẩy nhanh tiến độ giải ngân các công trình"]
    assert all(t.collective == "các cơ quan, đơn vị, địa phương" for t in tasks)
    assert run("Kết luận cuộc họp như sau: UBND huyện đã chỉ đạo các xã hoàn thành thu hoạch lúa; tập trung nhân lực "
               "làm đất; chỉ đạo các xã, thị trấn tăng cường kiểm soát dịch bệnh.\nBáo cáo của UBND huyện cho thấy "
               "tình hình kinh tế ổn định.") == []


def test_an_addressee_put_first_a_request_to_the_public_and_an_exhortation():
    tasks = run("Kết luận như sau: Đối với các cơ quan tuyên truyền, báo chí, chỉ đạo tăng cường tuyên truyền về phòng "
                "chống dịch; cập nhật số điện thoại đường dây nóng. UBND tỉnh yêu cầu các cơ quan, đơn vị nêu cao "
                "tinh thần trách nhiệm, nghiêm túc thực hiện.")
    assert [(t.collective, t.title) for t in tasks] == [
        ("các cơ quan tuyên truyền, báo chí", "Tăng cường tuyên truyền về phòng chống dịch"),
        ("các cơ quan tuyên truyền, báo chí", "Cập nhật số điện thoại đường dây nóng")]
    assert run("Chủ tịch UBND tỉnh đề nghị người dân thực hiện nghiêm các biện pháp phòng, chống dịch.") == []


def test_a_competence_stated_by_a_law_is_not_a_task():
    assert run("Điều 213. Thẩm quyền quản lý nhà nước về lao động\n1. Chính phủ thống nhất quản lý nhà nước về lao "
               "động trong phạm vi cả nước.\n2. Ủy ban nhân dân các cấp thực hiện quản lý nhà nước về lao động trong "
               "phạm vi địa phương mình.") == []


def test_unit_lists_after_a_colon():
    task = only("Giao Giám đốc các Sở: Nội vụ, Tài chính theo dõi, đôn đốc việc sắp xếp bộ máy.")
    assert task.lead_unit == "SNV" and task.cooperating_units == ["STC"]
    task = only("Giao Sở Xây dựng chủ trì, phối hợp với UBND các huyện: Đại Lộc và Duy Xuyên kiểm tra các công trình.")
    assert task.lead_unit == "SXD" and task.cooperating_units == ["DAILOC", "DUYXUYEN"]
    assert task.title == "Kiểm tra các công trình"


def test_one_unit_named_before_a_list_gets_every_task():
    tasks = run("Đề nghị Sở Tài chính thực hiện tốt các nội dung sau:\n"
                "1. Hoàn thành quyết toán ngân sách năm 2019 trước ngày 30/6/2020.\n"
                "2. Rà soát các khoản chi thường xuyên;\n"
                "3. Sở Nội vụ phối hợp thẩm định đề án vị trí việc làm.")
    assert [t.lead_unit for t in tasks] == ["STC", "STC", "SNV"]
    assert [t.title for t in tasks] == [
        "Hoàn thành quyết toán ngân sách năm 2019",
        "Rà soát các khoản chi thường xuyên",
        "Phối hợp thẩm định đề án vị trí việc làm",
    ]


def test_a_numbered_notice_with_a_unit_heading_its_items():
    tasks = run(
        "Ngày 10/3/2022, Phó Chủ tịch UBND tỉnh chủ trì cuộc họp; dự có Sở Xây dựng, Sở Tài chính.\n"
        "Sau khi nghe báo cáo, Phó Chủ tịch UBND tỉnh kết luận như sau:\n"
        "1. Đánh giá cao sự nỗ lực của các đơn vị trong thời gian qua.\n"
        "2. Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát hồ sơ thiết kế, "
        "hoàn thành trước ngày 30/4/2022.\n"
        "3. Sở KH&ĐT tham mưu UBND tỉnh bố trí vốn trong quý II/2022.\n"
        "4. UBND thành phố Hội An:\n"
        "a) Đẩy nhanh công tác giải phóng mặt bằng, hoàn thành trong tháng 6/2022;\n"
        "b) Thường xuyên báo cáo tiến độ về Sở Xây dựng.\n"
        "5. Giao Văn phòng UBND tỉnh theo dõi, đôn đốc thực hiện.\n"
        "Văn phòng UBND tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./.",
        issued_on=date(2022, 3, 12),
    )
    assert [(t.lead_unit, t.deadline, t.ongoing) for t in tasks] == [
        ("SXD", date(2022, 4, 30), False),
        ("SKHDT", date(2022, 6, 30), False),
        ("HOIAN", date(2022, 6, 30), False),
        ("HOIAN", None, True),
        (None, None, False),
    ]
    assert tasks[0].cooperating_units == ["STC"]
    assert tasks[-1].unknown_units == ["Văn phòng UBND tỉnh"]  # not in this registry: shown, not dropped


def test_default_lead_unit_when_nothing_names_a_unit():
    tasks = run("Kết luận cuộc họp như sau: Khẩn trương hoàn thiện quy chế làm việc.", default_lead_unit="SNV")
    assert [t.lead_unit for t in tasks] == ["SNV"]


# --- splitting --------------------------------------------------------------------

def test_exhortations_are_not_tasks():
    tasks = run("Kết luận buổi làm việc, đồng chí Chủ tịch UBND tỉnh ghi nhận và đánh giá cao những nỗ lực của "
                "Sở Tài chính; đề nghị Sở Tài chính tiếp tục đoàn kết, phát huy những kết quả đã đạt được. "
                "Tập trung hoàn thành dự toán ngân sách năm 2021 trước ngày 15/7/2020.")
    assert [t.title for t in tasks] == ["Tập trung hoàn thành dự toán ngân sách năm 2021"]
    assert tasks[0].lead_unit == "STC"


def test_no_split_inside_names_dates_abbreviations_and_quotes():
    text = ("Kết luận như sau: Giao UBND thành phố Hội An phối hợp với Sở TT&TT tổ chức tuyên truyền tại TP. Hội An "
            "về cuộc thi “Tìm hiểu biển, đảo Việt Nam; chung tay bảo vệ chủ quyền. Lần thứ 2” trước ngày 30/6/2020, "
            "bổ sung tài liệu, ảnh, video v.v. Trên cơ sở đó báo cáo UBND tỉnh.")
    tasks = run(text)
    assert len(tasks) == 1
    task = tasks[0]
    assert task.lead_unit == "HOIAN" and task.cooperating_units == ["STTTT"]
    assert task.deadline == date(2020, 6, 30)
    assert text[task.start:task.end].endswith("báo cáo UBND tỉnh")


def test_items_bullets_and_semicolons_split_tasks():
    tasks = run("Chủ tịch UBND tỉnh kết luận như sau:\n"
                "- Giao Sở Tài chính bố trí kinh phí;\n"
                "+ Sở Xây dựng thẩm định thiết kế; Công an tỉnh bảo đảm an ninh trật tự.\n"
                "• a) Giao Sở Nội vụ kiện toàn bộ máy.")
    assert [t.lead_unit for t in tasks] == ["STC", "SXD", "CAT", "SNV"]


def test_reference_lists_and_report_clauses_stay_with_their_task():
    tasks = run("Yêu cầu Công an tỉnh thực hiện nghiêm Chỉ thị số 01/CT-BCA; Kế hoạch số 196/KH-C08. "
                "Giao Sở Xây dựng kiểm tra công trình; báo cáo UBND tỉnh kết quả trước ngày 10/8/2020.")
    assert [(t.lead_unit, t.deadline) for t in tasks] == [("CAT", None), ("SXD", date(2020, 8, 10))]


def test_offsets_are_in_the_input_even_when_it_is_decomposed():
    text = unicodedata.normalize("NFD", "Kết luận: Giao Sở Tài chính bố trí kinh phí trước ngày 30/6/2020.")
    task = only(text)
    expected = unicodedata.normalize("NFD", "Giao Sở Tài chính bố trí kinh phí trước ngày 30/6/2020")
    assert text[task.start:task.end] == expected
    assert task.lead_unit == "STC" and task.deadline == date(2020, 6, 30)


# --- bad input ----------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text_is_refused(text):
    with pytest.raises(ExtractError, match="empty"):
        extract(text, UNITS)


def test_text_over_the_limit_is_refused():
    with pytest.raises(ExtractError, match="too long") as info:
        extract("a" * (MAX_TEXT_CHARS + 1), UNITS)
    assert isinstance(info.value, ValueError)
    assert extract("a" * 1000, UNITS) == []  # a text with no task is not an error


# --- the labelled set ------------------------------------------------------------------

def _bench():
    """Load bench/extract_quality.py as a module."""
    spec = importlib.util.spec_from_file_location("extract_quality", ROOT / "bench" / "extract_quality.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # dataclasses look their module up while the module runs
    spec.loader.exec_module(module)
    return module


def test_labelled_set_is_well_formed():
    labels = _bench().labelled_paths(DATA)
    assert len(labels) >= 10
    for path in labels:
        doc = json.loads(path.read_text(encoding="utf-8"))
        text = path.with_suffix(".txt").read_text(encoding="utf-8")
        assert doc["source"] and "tasks" in doc and doc["kind"] and doc["split"], path.name
        for task in doc["tasks"]:
            assert 0 <= task["start"] < task["end"] <= len(text)
            assert text[task["start"]:task["end"]] == task["text"]


# Issue 19 asks for F1 >= 0.92 and deadline accuracy >= 0.95 on the whole set (the rules reach 0.94 and
# 0.97); the held-out part (117 texts, each batch scored before its rules) keeps its own floor under what
# it reaches (0.90).
F1_FLOOR = 0.92
DEADLINE_FLOOR = 0.95
HELD_OUT_F1_FLOOR = 0.85


def test_quality_floor_on_the_labelled_set():
    """The floor on the whole set (development and held-out parts)."""
    bench = _bench()
    results = bench.evaluate_all()
    total = bench.scores(results)
    assert total["f1"] >= F1_FLOOR, total
    assert total["deadline"] >= DEADLINE_FLOOR, total
    assert total["lead"] >= 0.9, total
    held_out = bench.scores([r for r in results if r.split == "holdout"])
    assert held_out["f1"] >= HELD_OUT_F1_FLOOR, held_out


def test_labelled_set_covers_the_four_kinds_and_keeps_a_held_out_part():
    labels = [json.loads(p.read_text(encoding="utf-8")) for p in _bench().labelled_paths(DATA)]
    assert len(labels) >= 60
    assert {doc["kind"] for doc in labels} == {"notice", "letter", "news", "decision"}
    assert sum(doc["split"] == "holdout" for doc in labels) >= 15


# --- third fresh batch (documents 175-198): cue families of office writing -------------------------------------

def test_collectives_named_as_subjects_with_their_members():
    tasks = run("Theo chỉ đạo của Thủ tướng, UBND các tỉnh Thanh Hóa, Nghệ An, Hà Tĩnh tiếp tục khẩn trương khắc "
                "phục hậu quả mưa lũ. Những địa phương này phải phục hồi sản xuất. UBND các tỉnh ven biển phối hợp "
                "với bộ đội biên phòng thông báo cho các chủ tàu thuyền. Các địa phương tranh thủ tháo nước đệm; "
                "triển khai phương án bảo đảm an toàn hồ chứa. Các tỉnh, thành phải chủ động di dời dân.")
    assert [t.collective for t in tasks] == [
        "UBND các tỉnh Thanh Hóa, Nghệ An, Hà Tĩnh", "Những địa phương này", "UBND các tỉnh ven biển",
        "Các địa phương", "Các địa phương", "Các tỉnh, thành"]
    assert all(t.lead_unit is None for t in tasks)
    assert tasks[0].title.startswith("Tiếp tục khẩn trương khắc phục")


def test_ministries_as_a_collective_and_an_addressee_put_first_with_riêng():
    tasks = run("Kết luận như sau: Yêu cầu các bộ, ngành, địa phương rà soát dự án. Riêng các bộ Công an, Quốc "
                "phòng, Giao thông Vận tải, Thủ tướng yêu cầu có báo cáo hỏa tốc về Văn phòng Chính phủ.")
    assert [t.collective for t in tasks] == [
        "các bộ, ngành, địa phương", "các bộ Công an, Quốc phòng, Giao thông Vận tải"]
    assert tasks[1].title.startswith("Có báo cáo hỏa tốc")


def test_a_lead_in_inside_a_sentence_heads_its_items_and_details_stay_with_them():
    tasks = run("Chủ tịch UBND tỉnh chỉ đạo Ban chỉ huy PCTT và TKCN các huyện, thành phố thực hiện ngay một số "
                "nội dung sau: Cảnh báo cho nhân dân về tố lốc; rà soát ngay nhà ở của người dân; đặc biệt là tại "
                "các điểm bỏ phiếu; rà soát các lán trại, công trường.")
    assert len(tasks) == 3
    assert {t.collective for t in tasks} == {"Ban chỉ huy PCTT và TKCN các huyện, thành phố"}
    assert "điểm bỏ phiếu" in tasks[1].title or tasks[1].end > tasks[1].start + 40


def test_a_report_s_contents_listed_after_semicolons_make_one_task():
    task = only("Thủ tướng yêu cầu Thủ trưởng các bộ, ngành, địa phương phải báo cáo các nội dung chủ yếu về tình "
                "hình cung cầu hàng hóa; thực thi các biện pháp điều hành giá; kiểm tra, kiểm soát thị trường.")
    assert task.collective == "Thủ trưởng các bộ, ngành, địa phương"
    assert task.title.endswith("cung cầu hàng hóa") or "thị trường" in task.title


def test_an_item_that_only_cooperates_in_the_task_before_is_not_a_task():
    tasks = run("Chủ tịch UBND tỉnh có ý kiến như sau:\n1. Giao Công an tỉnh chủ trì, phối hợp với Sở Xây dựng "
                "lập các chốt kiểm soát; báo cáo Chủ tịch UBND tỉnh.\n2. Giao Sở Xây dựng, Sở Tài chính chủ động "
                "phối hợp với Công an tỉnh triển khai thực hiện nhiệm vụ.")
    assert [t.lead_unit for t in tasks] == ["CAT"]


def test_cooperating_unit_after_adverbs_and_departments_listed_without_a_colon():
    task = only("Kết luận như sau: Các sở, ban, ngành có trách nhiệm phối hợp chặt chẽ, kịp thời với Sở Xây dựng "
                "để tham mưu xây dựng kế hoạch.")
    assert task.cooperating_units == ["SXD"] and task.collective
    task = only("UBND tỉnh giao Sở Nội vụ chủ trì phối hợp với các sở Tài chính, Xây dựng rà soát biên chế.")
    assert task.lead_unit == "SNV" and task.cooperating_units == ["STC", "SXD"]


def test_a_thing_handed_over_is_not_an_assignment_and_an_early_deadline_covers_the_items():
    tasks = run("Phó Chủ tịch UBND tỉnh yêu cầu Sở Xây dựng thống nhất với các huyện trong tháng 12/2011 trình UBND "
                "tỉnh danh mục các tuyến đường; lập danh sách các bãi đỗ xe giao cho các huyện quản lý.")
    assert [t.lead_unit for t in tasks] == ["SXD", "SXD"]
    assert [t.deadline for t in tasks] == [date(2011, 12, 31)] * 2


def test_a_headline_without_a_full_stop_is_not_run_into_the_text():
    task = only("Bộ yêu cầu các địa phương cần công bố dịch sớm\nĐối với các địa phương đã có dịch, Bộ NN&PTNT yêu "
                "cầu cần thực hiện việc công bố dịch theo đúng quy định.")
    assert task.title.startswith("Thực hiện việc công bố dịch") and task.collective == "các địa phương"


def test_aims_under_phương_hướng_are_not_tasks_but_an_assignment_there_is():
    text = ("Chủ tịch UBND tỉnh chỉ thị:\nI. Phương hướng chung\nTăng cường nền nếp, kỷ cương trong nhà trường; "
            "tập trung nâng cao chất lượng giáo dục.\n")
    assert run(text) == []
    task = only(text + "Sở Nội vụ chủ trì, phối hợp với các sở, ngành liên quan triển khai có hiệu quả đề án.")
    assert task.lead_unit == "SNV"


def test_a_year_wrapped_onto_the_next_line_and_a_goal_after_the_task():
    task = only("Chủ tịch UBND tỉnh yêu cầu các sở, ban, ngành tập trung thực hiện:\n- Khẩn trương hoàn thành "
                "tổng kết công tác năm\n2014 trước ngày 20/4/2015. Qua đó, làm cơ sở xây dựng phương án năm sau.")
    assert task.deadline == date(2015, 4, 20)
    assert task.end > task.start + 90  # the goal sentence stays with the task


def test_numbered_points_whose_subject_is_an_official():
    tasks = run("Văn phòng Chính phủ thông báo ý kiến như sau:\n1. Đồng ý về nguyên tắc.\n2. Giám đốc Sở Xây dựng "
                "căn cứ các quy định hiện hành xác định, phê duyệt cụ thể mức hỗ trợ; đồng thời chỉ đạo các đơn vị "
                "thu hồi nợ.")
    assert [t.lead_unit for t in tasks] == ["SXD", "SXD"]
    tasks = run("Kết luận như sau:\n1. Giám đốc Sở Tài chính khẩn trương cân đối nguồn vốn.\n2. Chủ tịch UBND các "
                "huyện chỉ đạo rà soát đất đai.\n3. Thủ trưởng các sở, ngành nghiêm túc thực hiện chế độ báo cáo.")
    assert [(t.lead_unit, t.collective) for t in tasks] == [
        ("STC", None), (None, "Chủ tịch UBND các huyện"), (None, "Thủ trưởng các sở, ngành")]


def test_modal_and_manner_cues_before_the_verb():
    tasks = run("Sở Tài chính cần chủ động bố trí kinh phí. Công an tỉnh phải kịp thời xử lý vi phạm. "
                "Sở Nội vụ tập trung hoàn thành đề án, chậm nhất ngày 15/6/2020 báo cáo UBND tỉnh.")
    assert [(t.lead_unit, t.deadline) for t in tasks] == [("STC", None), ("CAT", None), ("SNV", date(2020, 6, 15))]


def test_a_unit_named_as_subject_before_the_first_assigning_verb_has_its_task():
    # "Theo đó, trong thời gian ..., Công an tỉnh bố trí ...; chỉ đạo ...": the conclusion starts at the subject
    tasks = run("Theo đó, trong thời gian từ đầu tháng 1/2013 tới ngày 15/3/2013, Công an tỉnh bố trí lực lượng "
                "kiểm tra, kiểm soát giao thông; chỉ đạo Công an các huyện tăng cường xử lý vi phạm.\n"
                "Sở Xây dựng chỉ đạo thanh tra xây dựng kiểm tra các công trình.")
    assert [t.lead_unit for t in tasks][:2] == ["CAT", "CAT"]
    assert tasks[0].title.startswith("Bố trí lực lượng")
    # an agency the registry does not hold, then "Yêu cầu UBND các xã ...": both are tasks
    tasks = run("Văn phòng HĐND&UBND huyện có trách nhiệm đôn đốc, tổng hợp danh sách các đơn vị. "
                "Yêu cầu UBND các xã, thị trấn phối hợp và tổ chức thực hiện.")
    assert len(tasks) == 2 and tasks[0].lead_unit is None and tasks[1].collective


def test_a_report_naming_a_unit_before_the_assigning_verb_stays_a_report():
    tasks = run("Năm 2019, Sở Xây dựng đã kiểm tra 120 công trình.\n\nGiao Sở Tài chính bố trí kinh phí.")
    assert [t.lead_unit for t in tasks] == ["STC"]


def test_a_passive_instruction_about_a_work_named_with_viec():
    tasks = run("Kết luận như sau:\nViệc khơi thông kênh rạch, tránh bị ô nhiễm và tuyên truyền giữ vệ sinh ở các xóm "
                "dân cư cần phải được đẩy mạnh hơn nữa. Sở Xây dựng kiểm tra các công trình.")
    assert len(tasks) == 2 and tasks[0].lead_unit is None and tasks[0].title.startswith("Việc khơi thông")
    # a work told as done is not an instruction
    assert run("Kết luận như sau:\nViệc khơi thông kênh rạch, tránh ô nhiễm đã được thực hiện tốt.") == []


def test_a_numbered_heading_and_the_paragraph_under_it_are_one_task():
    text = ("Chủ tịch UBND tỉnh yêu cầu Sở Nội vụ tập trung thực hiện các nhiệm vụ sau:\n"
            "1. Tăng cường phân cấp trong quản lý; giao quyền tự chủ cho các cơ sở giáo dục\n"
            "Tiếp tục đổi mới công tác quản lý theo hướng tinh gọn, hiệu quả; giao quyền tự chủ cho các trường.\n"
            "2. Nâng cao chất lượng đội ngũ giáo viên\n"
            "Tổ chức bồi dưỡng giáo viên theo chương trình mới.")
    tasks = run(text)
    assert [(t.lead_unit, t.title.split()[:2]) for t in tasks] == [
        ("SNV", ["Tăng", "cường"]), ("SNV", ["Nâng", "cao"])]
    assert text[tasks[0].start:tasks[0].end].endswith("cho các trường")
    # items that end with a full stop are tasks each, as before
    tasks = run("Giao Sở Nội vụ thực hiện các nhiệm vụ sau:\n1. Rà soát đội ngũ giáo viên của các trường trên địa bàn.\n"
                "2. Xây dựng kế hoạch tuyển dụng giáo viên năm học mới.")
    assert len(tasks) == 2


def test_a_review_and_its_evaluation_or_a_goal_after_a_semicolon_are_one_task():
    tasks = run("Yêu cầu Sở Xây dựng khẩn trương tổng kết công tác phòng chống thiên tai "
                "trước ngày 20/4/2020; đánh giá, phát huy những ưu điểm, làm rõ nguyên nhân của những hạn chế. "
                "Sở Tài chính bố trí kinh phí; để kịp thời hỗ trợ người dân.")
    assert [t.lead_unit for t in tasks] == ["SXD", "STC"]
    assert tasks[0].deadline == date(2020, 4, 20)
    # after a work that is no review, "đánh giá ..." is a task of its own
    tasks = run("Giao Sở Xây dựng kiểm tra các công trình; đánh giá chất lượng vật liệu xây dựng.")
    assert len(tasks) == 2


def test_a_report_back_or_a_detail_in_a_sentence_of_its_own_continues_the_task():
    text = ("Đề nghị Sở Xây dựng rà soát lại phương án bồi thường đối với các hộ dân. "
            "Đồng thời, báo cáo đề xuất UBND tỉnh xem xét hỗ trợ thêm cho hộ dân di dời.")
    task = only(text)
    assert task.lead_unit == "SXD" and text[task.start:task.end].endswith("hộ dân di dời")
    text = ("UBND tỉnh yêu cầu Sở Nội vụ tăng cường các biện pháp quản lý. "
            "Đặc biệt, cần phân rõ trách nhiệm của người đứng đầu từng cơ quan.")
    task = only(text)
    assert text[task.start:task.end].endswith("từng cơ quan")
    # after ";", "tổng hợp, báo cáo ... về UBND tỉnh" reports the work before
    task = only("Giao Sở Xây dựng theo dõi, đôn đốc việc thực hiện của các địa phương; tổng hợp, báo cáo tình hình "
                "thực hiện về UBND tỉnh.")
    assert task.title.startswith("Theo dõi")
    # a report that is itself work named with another verb stays a task of its own
    assert len(run("Giao Sở Xây dựng kiểm tra các công trình. Đồng thời báo cáo, tham mưu UBND tỉnh xử lý trách "
                   "nhiệm các chủ đầu tư vi phạm.")) == 2


def test_a_closing_formula_or_a_reference_to_instructions_is_no_task():
    tasks = run("Đề nghị Sở Xây dựng rà soát lại phương án bồi thường.\n\nĐề nghị đơn vị quan tâm thực hiện./.")
    assert len(tasks) == 1 and tasks[0].lead_unit == "SXD"
    tasks = run("UBND tỉnh yêu cầu Sở Xây dựng tiếp tục thực hiện nghiêm các biện pháp theo chỉ đạo của UBND tỉnh tại "
                "Chỉ thị số 02/CT-UBND ngày 09/01/2020; chỉ đạo của Thủ tướng Chính phủ tại Chỉ thị số 04/CT-TTg "
                "ngày 22/01/2020 nhằm đảm bảo nguồn nước.")
    assert len(tasks) == 1


def test_a_proposal_upward_to_assign_gives_no_task():
    assert run("Sở Xây dựng đề xuất UBND tỉnh giao UBND huyện Đại Lộc nhiệm vụ quản lý trật tự xây dựng trên địa "
               "bàn.") == []
    # the committee's own assignment is one
    assert only("UBND tỉnh giao UBND huyện Đại Lộc quản lý trật tự xây dựng trên địa bàn.").lead_unit == "DAILOC"


def test_a_news_lead_announcing_a_letter_to_collectives_is_summed_up_by_its_details():
    text = ("UBND tỉnh vừa ban hành văn bản chỉ đạo các sở, ngành, đơn vị liên quan kiểm tra, xử lý thông tin báo chí "
            "phản ánh về trạm đăng kiểm.\nTheo đó, UBND tỉnh giao Sở Kế hoạch và Đầu tư chủ trì, cùng Sở Xây dựng "
            "kiểm tra, xử lý nghiêm vi phạm trong công tác lập dự án. Báo cáo kết quả về UBND tỉnh trước ngày 25/10.")
    task = only(text)
    assert task.lead_unit == "SKHDT" and task.deadline == date(2020, 10, 25)


def test_a_cable_sent_to_its_addressees_who_are_to_act_assigns_them_work():
    task = only("Bộ Y tế vừa có công điện gửi UBND các huyện, thị xã, thành phố quan tâm chỉ đạo tăng cường phòng "
                "chống dịch bệnh mùa hè cho nhân dân trên địa bàn.")
    assert task.lead_unit is None and task.collective and task.collective.startswith("UBND các huyện")
    # a letter sent "về việc ..." names its subject, no work
    assert run("Ngày 28/4, Bộ Y tế có Công văn số 2598/BYT-DP gửi UBND các huyện, thị xã về việc tăng cường công "
               "tác phòng, chống dịch.") == []
    # "gửi" without a document before it sends, it does not assign
    assert run("Kết luận như sau:\nSở Xây dựng gửi báo cáo kết quả về UBND tỉnh.")[0].lead_unit == "SXD"


def test_a_sentence_run_into_the_next_without_a_space_after_its_full_stop():
    text = ("Bộ Công Thương vừa ban hành chỉ thị về bình ổn thị trường xăng dầu.Theo đó, Giám đốc Sở Tài chính "
            "chỉ đạo các doanh nghiệp bảo đảm nguồn hàng trên địa bàn.")
    task = only(text)
    assert task.lead_unit == "STC" and "xăng dầu" not in text[task.start:task.end]
    # an abbreviation glued to a name is no sentence end
    assert [t.lead_unit for t in run("Giao Sở Xây dựng kiểm tra các công trình tại Tp.HCM và Q.Bình Thạnh trong tháng 5.")] == ["SXD"]


def test_work_followed_by_accountability_is_a_task_accountability_alone_is_not():
    task = only("Chủ tịch UBND tỉnh chỉ đạo, trong thời gian tới, các chủ đầu tư đẩy nhanh tiến độ giải ngân và phải "
                "chịu trách nhiệm trước UBND tỉnh về tình hình giải ngân chậm.")
    assert task.lead_unit is None and task.collective == "các chủ đầu tư"
    assert run("Kết luận như sau:\nThủ trưởng các cơ quan, đơn vị phải chịu trách nhiệm trước UBND tỉnh.") == []


def test_a_force_or_a_group_addressed_with_no_unit_word_is_a_collective():
    task = only("Chủ tịch UBND TP yêu cầu lực lượng công an mở đợt cao điểm tấn công các loại tội phạm.")
    assert task.lead_unit is None and task.collective == "lực lượng công an"
    task = only("Chủ tịch UBND tỉnh yêu cầu lực lượng công an toàn tỉnh, nắm chắc tình hình, kịp thời tham mưu cấp ủy.")
    assert task.collective == "lực lượng công an toàn tỉnh"
    task = only("Phó Chủ tịch UBND tỉnh yêu cầu nhà thầu các gói thầu đang chậm tiến độ nghiêm túc rút kinh nghiệm, "
                "thực hiện ngay việc lập tiến độ thi công.")
    assert task.collective == "nhà thầu các gói thầu đang chậm tiến độ"
    # the group as the topic ("nhà thầu không đảm bảo tiến độ") is asked nothing: the task has no addressee
    task = only("Chủ tịch UBND tỉnh chỉ đạo, nhà thầu thi công không đảm bảo tiến độ, cần xem điều chuyển khối lượng "
                "giữa các nhà thầu.")
    assert task.collective is None and task.lead_unit is None


def test_a_report_back_settled_by_authority_or_in_a_sentence_of_its_own_continues_the_task():
    text = ("UBND tỉnh yêu cầu Sở Xây dựng kiểm tra các công trình xây dựng không phép tại phường 8; giải quyết theo "
            "thẩm quyền và báo cáo kết quả cho UBND tỉnh trước ngày 20/7.")
    task = only(text)
    assert task.lead_unit == "SXD" and task.deadline == date(2020, 7, 20) and text[task.start:task.end].endswith("20/7")
    text = ("Chủ tịch UBND huyện giao các xã, thị trấn phân công lãnh đạo trực bảo đảm an ninh trật tự trong thời "
            "gian nghỉ Lễ. Kịp thời báo cáo những vấn đề phức tạp phát sinh về UBND huyện để chỉ đạo.")
    assert len(run(text)) == 1


def test_a_unit_named_the_core_force_that_leads_is_assigned_the_work():
    task = only("UBND tỉnh ban hành công văn về đợt cao điểm. Theo đó, Công an tỉnh là lực lượng nòng cốt, chủ trì "
                "phối hợp với các sở, ban, ngành, địa phương triển khai đồng bộ các biện pháp.")
    assert task.lead_unit == "CAT"
    # a unit's standing role alone assigns nothing
    assert run("Kết luận như sau:\nSở Nội vụ là cơ quan thường trực của Hội đồng thi đua.") == []


def test_a_requirement_put_first_is_a_noun_not_a_request():
    assert run("Đợt cao điểm diễn ra sau sáp nhập, yêu cầu giữ vững ổn định chính trị và trật tự an toàn xã hội "
               "trên địa bàn được đặt lên hàng đầu.") == []


def test_a_letter_sent_to_addressees_who_are_asked_to_act_keeps_them():
    task = only("Cục Đường bộ Việt Nam vừa có văn bản gửi các Khu quản lý đường bộ, các Ban Quản lý dự án trực thuộc "
                "yêu cầu đẩy nhanh giải ngân kinh phí bảo trì quốc lộ năm 2023.")
    assert task.collective == "các Khu quản lý đường bộ, các Ban Quản lý dự án trực thuộc"
    assert only("UBND tỉnh có văn bản gửi Sở Xây dựng đề nghị kiểm tra các công trình.").lead_unit == "SXD"


def test_two_districts_sharing_one_head_are_lead_and_cooperating():
    tasks = run("Công điện yêu cầu UBND huyện Duy Xuyên, Đại Lộc triển khai thực hiện chỉ đạo chống dịch; tạm dừng các "
                "cuộc họp không cần thiết.")
    assert [(t.lead_unit, t.cooperating_units) for t in tasks] == [("DUYXUYEN", ["DAILOC"])] * 2


def test_a_units_heading_with_its_first_item_on_the_same_line_then_bullets_keeps_that_item():
    text = ("Chủ tịch UBND tỉnh yêu cầu Giám đốc các sở, Chủ tịch UBND các huyện tập trung thực hiện các nhiệm vụ sau:\n\n"
            "Sở Xây dựng: Theo dõi, đánh giá nguồn cung vật liệu xây dựng phục vụ các công trình trọng điểm.\n\n"
            "- Chủ động tham mưu cho UBND tỉnh phương án dự trữ vật liệu xây dựng phục vụ các công trình trọng điểm.\n"
            "- Phối hợp với Sở Tài chính theo dõi giá vật liệu xây dựng.")
    tasks = run(text)
    assert [t.lead_unit for t in tasks] == ["SXD"] * 3
    assert text[tasks[0].start:tasks[0].end].startswith("Sở Xây dựng: Theo dõi")


def test_an_official_with_two_titles_who_directs_two_bodies_is_one_task():
    text = ("UBND tỉnh giao Giám đốc Sở Xây dựng, Phó Trưởng ban Thường trực Ban Chỉ đạo 389 chỉ đạo bộ phận thường "
            "trực giúp việc của Ban Chỉ đạo; Đoàn kiểm tra liên ngành tỉnh có kế hoạch tăng cường kiểm tra thị trường.")
    task = only(text)
    assert task.lead_unit == "SXD" and text[task.start:task.end].endswith("kiểm tra thị trường")
    # a semicolon after work already told still separates two tasks
    assert len(run("UBND tỉnh giao Sở Xây dựng kiểm tra các công trình; Sở Tài chính bố trí kinh phí.")) == 2


def test_a_lead_told_again_in_full_further_in_the_same_paragraph_is_one_task():
    text = ("Thủ tướng yêu cầu Chủ tịch UBND thành phố Hội An khẩn trương chỉ đạo các lực lượng nỗ lực tìm kiếm các em "
            "học sinh còn mất tích trong vụ đuối nước. Nội dung trên được đề cập tại Công điện số 118 của Thủ tướng. "
            "Ngày 18/11, tại thành phố Hội An xảy ra vụ đuối nước nghiêm trọng. Công điện yêu cầu Chủ tịch UBND "
            "thành phố Hội An khẩn trương chỉ đạo các lực lượng chức năng tiếp tục nỗ lực tìm kiếm các em học sinh "
            "còn mất tích trong vụ đuối nước; hỗ trợ, thăm hỏi gia đình học sinh gặp nạn.")
    tasks = run(text)
    assert [t.lead_unit for t in tasks] == ["HOIAN", "HOIAN"]
    assert tasks[0].start > text.index("Công điện yêu cầu")


def test_a_group_as_subject_after_a_connector_is_a_task():
    tasks = run("Yêu cầu các sở, ngành liên quan tăng cường đối thoại, vận động người dân bàn giao mặt bằng. Đồng thời, "
                "nhà thầu tập trung nhân lực, thiết bị nhằm sớm hoàn thành các khu tái định cư theo tiến độ cam kết.")
    assert [t.collective for t in tasks] == ["các sở, ngành liên quan", "nhà thầu"]
    # with no connector, a group that is doing the work is reported, not asked
    assert len(run("Yêu cầu các sở, ngành liên quan tăng cường đối thoại với người dân. Nhà thầu tập trung nhân lực "
                   "thi công ngày đêm.")) == 1


def test_a_month_followed_by_the_months_after_it_is_no_deadline():
    task = only("Giao Sở Xây dựng tập trung thực hiện các nhiệm vụ trong tháng 6 và các tháng tiếp theo.")
    assert task.deadline is None
    assert only("Giao Sở Xây dựng hoàn thành các nhiệm vụ trong tháng 6.").deadline == date(2020, 6, 30)


def test_a_group_listed_by_its_sectors_then_assigned_in_the_passive_is_a_task():
    tasks = run("Theo đó, Công an tỉnh chủ trì triển khai các biện pháp. Các lực lượng quân sự, quản lý thị trường, "
                "giáo dục, y tế... được giao nhiệm vụ phối hợp chặt chẽ với Công an tỉnh trong bảo vệ mục tiêu trọng điểm.")
    assert [t.collective for t in tasks] == [None, "Các lực lượng quân sự, quản lý thị trường, giáo dục, y tế"]
    # what was assigned before and is done now is told, not assigned
    assert len(run("Theo đó, Công an tỉnh chủ trì triển khai các biện pháp. Các lực lượng quân sự, y tế đã được giao "
                   "nhiệm vụ từ đầu năm.")) == 1


def test_giao_nop_is_no_assigning_verb_and_giao_trach_nhiem_is():
    task = only("Yêu cầu các xã vận động nhân dân tự giác giao nộp vũ khí, vật liệu nổ cho Công an tỉnh.")
    assert (task.lead_unit, task.collective, task.start) == (None, "các xã", 0)
    task = only("UBND tỉnh giao trách nhiệm Sở Xây dựng phối hợp các sở, ngành hướng dẫn, kiểm tra việc xóa nhà "
                "ở tạm, báo cáo kịp thời cho UBND tỉnh.")
    assert task.lead_unit == "SXD"


def test_an_item_not_read_as_work_does_not_end_a_list_of_items():
    tasks = run("Chủ tịch UBND huyện yêu cầu các ngành phải có kế hoạch cụ thể; cần có thái độ chủ động trong thực "
                "hiện nhiệm vụ; kiểm tra chấn chỉnh tình trạng xây dựng trái phép; nhân rộng tổ công nghệ số cộng "
                "đồng.")
    assert len(tasks) == 3
    assert [t.collective for t in tasks] == ["các ngành"] * 3


def test_a_month_followed_by_the_last_months_of_the_year_is_no_deadline():
    task = only("Yêu cầu các ngành thực hiện tốt nhiệm vụ trọng tâm trong tháng 7 và những tháng cuối năm 2022.")
    assert task.deadline is None


def test_where_the_result_is_sent_after_a_semicolon_continues_the_task():
    task = only("Chủ tịch UBND tỉnh giao UBND các huyện, thành phố kiểm tra, rà soát, tổng hợp báo cáo tình "
                "hình sạt lở; gửi Sở Xây dựng trước ngày 29/6/2020.")
    assert (task.collective, task.deadline) == ("UBND các huyện, thành phố", date(2020, 6, 29))


def test_a_unit_as_subject_with_chiu_trach_nhiem_or_theo_chuc_nang_tham_quyen_is_a_task():
    tasks = run("Đề nghị các đơn vị báo cáo kết quả về UBND tỉnh. Sở Tài chính chịu trách nhiệm tổ chức triển khai, "
                "theo dõi, đôn đốc việc thực hiện.")
    assert [t.lead_unit for t in tasks] == [None, "STC"]
    tasks = run("Yêu cầu Sở Xây dựng kiểm tra các công trình. Sở Nội vụ, UBND các huyện, thành phố theo chức năng, "
                "thẩm quyền chỉ đạo, hướng dẫn các đơn vị trực thuộc bảo đảm an toàn.")
    assert [t.lead_unit for t in tasks] == ["SXD", "SNV"]
    # a responsibility stated, with no work named, is no task
    assert run("UBND cấp xã chịu trách nhiệm toàn diện về quản lý trật tự xây dựng trên địa bàn.") == []


def test_a_headline_quoting_the_instruction_after_a_colon_is_no_task():
    text = ("Tin tức\n\nUBND tỉnh chỉ đạo: Tăng cường công tác tuyên truyền góp phần ổn định tình hình an ninh trật tự\n\n"
            "Chủ tịch UBND tỉnh vừa ký ban hành Kế hoạch số 92/KH-UBND về tăng cường công tác tuyên truyền.")
    assert run(text) == []
    # at the end of a text, or with a unit named, the same line is an instruction
    assert len(run("Kết luận cuộc họp, Chủ tịch yêu cầu: Sở Xây dựng tăng cường kiểm tra các công trình\n\nPV")) == 1


def test_an_actorless_sentence_after_theo_chuc_nang_nhiem_vu_is_a_task_of_the_addressee():
    tasks = run("Chủ tịch UBND tỉnh giao UBND các huyện, thành phố rà soát tình hình sạt lở. Theo chức năng, nhiệm vụ "
                "được giao, chủ động triển khai thực hiện các biện pháp bảo đảm an toàn cho nhân dân.")
    assert [t.collective for t in tasks] == ["UBND các huyện, thành phố"] * 2


def test_what_goes_beyond_ones_competence_continues_the_task_before():
    tasks = run("Giao Sở Xây dựng chủ trì kiểm tra các công trình trên địa bàn.\n\nĐối với những vấn đề phát sinh vượt "
                "thẩm quyền, Chủ tịch UBND tỉnh yêu cầu Sở Xây dựng chủ động báo cáo đề xuất UBND tỉnh xem xét.")
    assert len(tasks) == 1 and tasks[0].end > 100


def test_a_report_with_help_after_a_semicolon_continues_the_task():
    task = only("Sở Xây dựng đôn đốc, kiểm tra việc thực hiện của các địa phương; phối hợp với các sở, ngành tổng hợp, "
                "tham mưu UBND tỉnh báo cáo Bộ Xây dựng trước ngày 05/7/2020.")
    assert (task.lead_unit, task.deadline) == ("SXD", date(2020, 7, 5))


def test_a_topic_that_names_no_unit_is_read_past():
    tasks = run("Kết luận cuộc họp, Chủ tịch UBND tỉnh đề nghị: Sở Xây dựng kiểm tra các công trình. Đối với đề án trồng "
                "cây ăn quả, tiếp tục đôn đốc hoàn thiện các thủ tục; đẩy nhanh tiến độ các mô hình điểm. Đối với dự án "
                "phát triển sản xuất, Sở Tài chính thẩm định kinh phí.")
    assert [t.title.split(",")[0] for t in tasks] == ["Kiểm tra các công trình", "Tiếp tục đôn đốc hoàn thiện các thủ tục",
                                                      "Đẩy nhanh tiến độ các mô hình điểm", "Thẩm định kinh phí"]
    assert tasks[-1].lead_unit == "STC"
    # a topic past its competence still continues the task before
    assert len(run("Giao Sở Xây dựng kiểm tra các công trình. Đối với nội dung vượt thẩm quyền, báo cáo UBND tỉnh.")) == 1


def test_another_unit_doing_its_own_work_after_a_comma_is_a_task_of_its_own():
    tasks = run("Kết luận cuộc họp, Chủ tịch đề nghị: Sở Xây dựng thẩm định về nội dung, Sở Tài chính thẩm định kinh "
                "phí, tham mưu nguồn ngân sách.")
    assert [t.lead_unit for t in tasks] == ["SXD", "STC"]
    # addressees listed, or a unit cooperating, stay one task
    assert [t.lead_unit for t in run("Giao Sở Xây dựng, Sở Tài chính kiểm tra các công trình.")] == ["SXD"]
    assert len(run("Giao Sở Xây dựng chủ trì, Sở Tài chính phối hợp kiểm tra các công trình.")) == 1


def test_a_group_as_the_subject_of_a_later_sentence_and_a_when_clause_with_can():
    tasks = run("Chủ tịch UBND huyện yêu cầu: UBND các xã, thị trấn triển khai phòng chống rét cho vật nuôi. Khi có thiệt "
                "hại do rét gây ra cần nhanh chóng tổ chức kiểm tra, xác minh. Cơ quan chuyên môn tham mưu chỉ đạo "
                "công tác phòng chống rét. Cử cán bộ chuyên môn đi cơ sở hướng dẫn nông dân.")
    assert [t.collective for t in tasks] == ["UBND các xã, thị trấn"] * 2 + ["Cơ quan chuyên môn"] * 2
    # the voters are no verb
    assert run("Chủ tịch UBND huyện yêu cầu: Sở Xây dựng kiểm tra các công trình. Cử tri phản ánh nhiều ý kiến.")[-1] \
        .title.startswith("Kiểm tra")


def test_luu_y_after_a_connector_in_a_sentence_of_its_own_is_another_task():
    tasks = run("Yêu cầu Sở Xây dựng triển khai các phương án phòng, chống lụt, bão. Đồng thời, lưu ý triển khai tốt việc "
                "tích nước các hồ chứa; tuyên truyền cho người dân về cơ cấu cây trồng.")
    assert len(tasks) == 3 and all(t.lead_unit == "SXD" for t in tasks)
    # "Trong đó, lưu ý ..." is a detail of the task before
    assert len(run("Yêu cầu Sở Xây dựng kiểm tra các công trình. Trong đó, lưu ý kiểm tra các công trình trường học.")) == 1


def test_the_city_and_the_districts_are_one_collective_and_keep_their_verb():
    tasks = run("Theo đó, giao các sở, ngành liên quan rà soát nhu cầu sử dụng đất, gửi Sở Xây dựng trước ngày 28/5/2020.\n"
                "Uỷ ban nhân dân thành phố và các huyện tổ chức đánh giá tình hình thực hiện kế hoạch sử dụng đất; rà soát "
                "nhu cầu sử dụng đất trên địa bàn.")
    assert [t.collective for t in tasks] == ["các sở, ngành liên quan"] + ["Uỷ ban nhân dân thành phố và các huyện"] * 2
    assert tasks[1].title.startswith("Tổ chức đánh giá")
    # "UBND các huyện, thành phố tổ chức ...": the verb is not swallowed into the group's name
    task = only("Chủ tịch UBND tỉnh yêu cầu UBND các huyện, thành phố tổ chức kiểm tra các công trình.")
    assert task.collective == "UBND các huyện, thành phố" and task.title.startswith("Tổ chức kiểm tra")
    assert only("Giao Sở Xây dựng phối hợp với các cơ quan, tổ chức liên quan kiểm tra các công trình.") \
        .cooperating_collective == ["các cơ quan, tổ chức liên quan"]


def test_lam_tot_phat_huy_hieu_qua_and_tinh_toan_are_work():
    tasks = run("Kết luận cuộc họp, Chủ tịch yêu cầu Sở Xây dựng tiếp tục kiểm tra các công trình. Làm tốt công tác "
                "thú y. Phát huy hiệu quả hoạt động của Tổ công tác.")
    assert [t.title for t in tasks] == ["Tiếp tục kiểm tra các công trình", "Làm tốt công tác thú y",
                                        "Phát huy hiệu quả hoạt động của Tổ công tác"]
    # "tính toán" is no "tỉnh" closing a group's name
    task = run("Giao Sở Xây dựng kiểm tra. Theo đó, UBND các xã, thị trấn liên quan tính toán bố trí lực lượng.")[-1]
    assert task.collective == "UBND các xã, thị trấn liên quan" and task.title.startswith("Tính toán")
    # praise of results stays an exhortation
    assert run("Kết luận cuộc họp, Chủ tịch yêu cầu: Phát huy những kết quả đã đạt được.") == []


def test_giao_du_toan_is_a_budget_not_an_assignment_and_a_forecast_year_is_no_deadline():
    assert run("Cuộc họp đã nghe Phòng Tài chính - Kế hoạch thông qua tờ trình về việc ban hành Nghị quyết điều chỉnh "
               "giao bổ sung dự toán ngân sách năm 2020 cho hội đặc thù; tờ trình về việc điều chỉnh danh mục công "
               "trình đầu tư công năm 2020.") == []
    task = only("Giao Sở Xây dựng triển khai tốt việc tích nước các hồ chứa để chủ động trước dự báo tình hình khô, hạn "
                "trong năm 2021.")
    assert task.deadline is None
    assert only("Giao Sở Xây dựng hoàn thành việc tích nước các hồ chứa trong năm 2021.").deadline == date(2021, 12, 31)


def test_a_lead_for_everyone_then_the_chairmans_tasks_per_unit_and_tu_giac_as_campaign_content():
    text = ("UBND tỉnh vừa có công văn yêu cầu các đơn vị, địa phương tăng cường phòng ngừa tội phạm về pháo trong dịp "
            "Tết.\nChủ tịch UBND tỉnh yêu cầu Sở Xây dựng đẩy mạnh tuyên truyền quy định pháp luật về pháo; tự giác "
            "giao nộp pháo có bất cứ từ nguồn gốc nào.\nSở Tài chính bố trí kinh phí cho các lực lượng.")
    tasks = run(text)
    assert [t.lead_unit for t in tasks] == ["SXD", "STC"]
    assert tasks[0].end > text.index("giao nộp")
    # a lead asking to carry out a named document is work of its own
    assert len(run(text.replace("tăng cường phòng ngừa tội phạm về pháo", "thực hiện nghiêm Chỉ thị số 02/2020"))) == 3


def test_an_ellipsis_before_another_assignment_ends_the_task():
    tasks = run("Đồng chí Chủ tịch chỉ đạo: “Giao cho Sở Xây dựng phối hợp với Sở Tư pháp làm rõ… gói thầu số 7… giao cho "
                "Sở Tài chính chủ trì làm rõ các nội dung theo báo nêu.")
    assert [t.lead_unit for t in tasks] == ["SXD", "STC"]
    # an ellipsis inside one piece of work does not cut it
    assert len(run("Giao Sở Xây dựng làm rõ… gói thầu số 7, báo cáo UBND tỉnh.")) == 1


def test_the_party_or_the_council_asking_the_committee_is_work_not_a_proposal_upward():
    task = only("Ý kiến chỉ đạo của Bí thư Tỉnh ủy: Đề nghị UBND tỉnh xử lý thông tin theo quy định, báo cáo kết quả về "
                "Thường trực Tỉnh ủy.")
    assert task.lead_unit == "UBND"
    # a department's proposal to the committee stays upward, even after the Party is named on the line
    assert run("Sở Tài chính đề nghị UBND tỉnh chỉ đạo các huyện bố trí vốn.") == []
    assert run("Thực hiện Kết luận của Tỉnh ủy, Sở Tài chính đề nghị UBND tỉnh bố trí vốn.") == []


def test_tren_co_so_do_is_read_past_like_theo_do():
    tasks = run("Phó Thủ tướng giao Sở Xây dựng chủ trì xây dựng Đề án. Trên cơ sở đó, Sở Tài chính chủ trì, phối hợp với "
                "các Bộ tổ chức thẩm định Đề án nêu trên.")
    assert [t.lead_unit for t in tasks] == ["SXD", "STC"]


def test_units_that_only_cooperate_in_carrying_out_the_above_give_no_task():
    tasks = run("Giao Sở Xây dựng chủ trì tiếp tục đầu tư hạ tầng. Giao Sở Tài chính, Sở Nội vụ theo chức năng nhiệm vụ "
                "của ngành, phối hợp Sở Xây dựng tổ chức triển khai các nội dung trên theo đúng quy định.")
    assert [t.lead_unit for t in tasks] == ["SXD"]


def test_a_qualified_group_then_urgent_or_due_work_is_the_groups_task():
    text = ("Theo đó, yêu cầu Thủ trưởng các sở, ban ngành tỉnh: Thực hiện nghiêm các quy định. Các cơ quan, đơn vị, địa "
            "phương còn số lượng cấp phó vượt quá quy định khẩn trương sắp xếp số cấp phó, hoàn thành trước ngày "
            "30/6/2018.")
    tasks = run(text)
    assert len(tasks) == 2
    assert tasks[1].collective and tasks[1].lead_unit is None
    assert tasks[1].deadline == date(2018, 6, 30)
    assert only("Các đơn vị còn nhiều hồ sơ tồn đọng cần giải quyết dứt điểm.").lead_unit is None
    # a qualified group with no work is a report
    assert run("Các đơn vị có nhiều hồ sơ tồn đọng.") == []


def test_chung_tay_phoi_hop_is_work():
    assert only("Các sở Xây dựng, Tài chính chung tay phối hợp với các địa phương để giải quyết vướng mắc.").lead_unit == "SXD"


def test_the_first_line_headline_with_its_speaker_is_no_task():
    text = ("Chủ tịch tỉnh yêu cầu báo cáo hàng ngày tiến độ triển khai dự án cao tốc qua địa bàn các huyện biên giới phía "
            "Bắc của tỉnh\n\nChiều 29/10, Chủ tịch UBND tỉnh dẫn đầu đoàn công tác kiểm tra tiến độ dự án.")
    assert run(text) == []
    # the same sentence punctuated, in a body, is a task
    assert len(run("Chiều 29/10, đoàn kiểm tra tiến độ dự án.\nChủ tịch tỉnh yêu cầu báo cáo hàng ngày tiến độ dự án.")) == 1


def test_the_province_asking_national_bodies_is_a_request_upward():
    assert run("Chủ tịch UBND tỉnh vừa ký công văn đề nghị Ban chỉ đạo Quốc gia về phòng, chống thiên tai; Quỹ phòng, "
               "chống thiên tai Trung ương hỗ trợ kinh phí khắc phục sạt lở bờ sông.") == []
    # a ministry asking the provinces is work
    assert len(run("Bộ Y tế đề nghị UBND các tỉnh rà soát nguồn vắc xin, báo cáo trước ngày 15/7/2021.")) == 1


def test_leadership_and_vigilance_alone_is_an_exhortation():
    assert run("Bộ Y tế đề nghị các địa phương tiếp tục tăng cường lãnh đạo, chỉ đạo, đề cao trách nhiệm người đứng đầu "
               "trong phòng, chống dịch, tuyệt đối không lơ là, chủ quan, mất cảnh giác.") == []


def test_a_semicolon_list_of_programme_names_is_one_task():
    tasks = run("Chủ tịch UBND tỉnh chỉ đạo các sở, ban, ngành đẩy nhanh tiến độ giải ngân vốn thực hiện các chương trình "
                "mục tiêu quốc gia xây dựng nông thôn mới; giảm nghèo bền vững; phát triển kinh tế - xã hội vùng đồng bào "
                "dân tộc thiểu số và miền núi.")
    assert len(tasks) == 1 and tasks[0].title.endswith("miền núi")
    # items of work after ";" stay tasks
    assert len(run("Giao Sở Xây dựng rà soát các dự án chậm tiến độ; kiểm tra chất lượng công trình.")) == 2


def test_carrying_out_an_instruction_of_someone_then_what_was_done_is_a_report():
    assert run("Thực hiện chỉ đạo của Trung ương, tỉnh đã triển khai đồng bộ các nhiệm vụ, giải pháp chăm lo Tết cho "
               "Nhân dân.") == []


def test_kien_quyet_khong_cho_after_a_semicolon_is_a_task():
    tasks = run("UBND các xã tính toán bố trí lực lượng tại các chốt, ưu tiên dân quân; kiên quyết không cho vịt chạy "
                "đồng vào địa bàn huyện.")
    assert len(tasks) == 2
    # "kiên quyết không để ..." stays the goal of the work before
    assert len(run("UBND các xã tăng cường kiểm tra các chốt; kiên quyết không để dịch lây lan.")) == 1


def test_a_group_qualified_by_its_area_and_functions_is_the_subject_of_a_listed_item():
    tasks = run("Ủy ban nhân dân tỉnh chỉ đạo như sau:\n\n- Các cơ quan, đơn vị, địa phương trên địa bàn tỉnh theo chức "
                "năng, nhiệm vụ và lĩnh vực quản lý có trách nhiệm tổ chức triển khai thực hiện nghiêm túc các văn bản "
                "trên; thường xuyên cập nhật tình hình dịch bệnh.\n\n- Sở Xây dựng chủ trì tham mưu cho UBND tỉnh.")
    assert len(tasks) == 3 and all(t.collective.startswith("Các cơ quan, đơn vị, địa phương") for t in tasks[:2])
    assert tasks[2].lead_unit == "SXD"


def test_a_group_that_only_cooperates_gives_its_deadline_to_the_task_before():
    tasks = run("UBND tỉnh giao Sở Văn hóa, Thể thao và Du lịch chủ trì nghiên cứu, đề xuất hình thức tổ chức sự kiện.\n\n"
                "UBND tỉnh cũng yêu cầu các sở, ngành liên quan, căn cứ chức năng quản lý Nhà nước, có trách nhiệm phối "
                "hợp chặt chẽ để hoàn thành các nội dung công việc; qua đó khẩn trương thực hiện và báo cáo kết quả về "
                "UBND tỉnh trước ngày 15/8/2020.")
    assert len(tasks) == 1
    assert tasks[0].deadline == date(2020, 8, 15)
    assert tasks[0].cooperating_collective == ["các sở, ngành liên quan"]


def test_accountability_joined_to_an_instruction_keeps_the_instruction():
    task = only("Chủ tịch UBND tỉnh chỉ đạo siết chặt quản lý đất đai, không để hình thành khu dân cư tự phát mới và UBND "
                "các huyện chịu trách nhiệm trước Chủ tịch UBND tỉnh nếu không có biện pháp xử lý dứt điểm.")
    assert task.lead_unit is None
    # the closing clause alone stays no task
    assert run("Thủ trưởng các cơ quan, đơn vị chịu trách nhiệm trước UBND tỉnh nếu không đảm bảo tiến độ.") == []


def test_uy_ban_tinh_is_the_provincial_committee():
    assert only("Bí thư Tỉnh ủy đề nghị Ủy ban tỉnh triển khai như đã trả lời cử tri.").lead_unit == "UBND"


def test_a_first_line_headline_ending_in_a_quotation_mark_is_no_task():
    assert run("Bí thư tỉnh yêu cầu xem xét trách nhiệm \"lỗ hổng quản lý cách ly\"\n\nBí thư Tỉnh ủy và Chủ tịch UBND tỉnh "
               "tại hội nghị trực tuyến. Ảnh: Đinh Tuấn.") == []


def test_the_councils_committees_are_one_collective():
    task = only("Chủ tịch HĐND tỉnh yêu cầu các ban của HĐND tỉnh cần rà soát, hoàn thiện, trình ký ban hành các nghị quyết "
                "đã được thông qua.")
    assert task.lead_unit is None and task.collective == "các ban của HĐND tỉnh"


def test_an_instruction_told_in_the_past_as_the_answer_to_an_event_is_a_task():
    task = only("Ngày 9-5, UBND tỉnh đã có quyết định thanh tra 27 dự án.\n\nCùng ngày, UBND tỉnh Kon Tum đã chỉ đạo các cơ "
                "quan liên quan bàn giao toàn bộ hồ sơ vụ việc sang Công an tỉnh để tiếp tục điều tra.")
    assert task.lead_unit is None and task.collective == "các cơ quan liên quan"
    # what was done in a year stays a report
    assert run("Năm 2022, UBND huyện đã chỉ đạo các ngành, UBND các xã tổ chức triển khai nhiều biện pháp nhằm thực "
               "hiện tốt nhiệm vụ thuộc lĩnh vực tài nguyên và môi trường.") == []


def test_parallel_steering_items_after_a_comma_are_two_tasks_for_the_same_group():
    tasks = run("Chủ tịch UBND thành phố đề nghị các phòng, ban, ngành, đoàn thể của thành phố cần tập trung chỉ đạo sản "
                "xuất tốt vụ lúa đông xuân, quan tâm chỉ đạo quyết liệt công tác phòng chống dịch cúm gia cầm.")
    assert len(tasks) == 2
    assert all(t.collective == "các phòng, ban, ngành, đoàn thể của thành phố" for t in tasks)
    assert tasks[1].title.startswith("Quan tâm chỉ đạo")


def test_the_members_of_a_steering_committee_open_a_list_of_collectives():
    task = only("Thực hiện chỉ đạo của Thủ tướng Chính phủ, Chủ tịch UBND tỉnh yêu cầu các thành viên Ban chỉ đạo phòng, "
                "chống dịch Covid-19 các cấp; Thủ trưởng các sở, ban, ngành, đoàn thể tỉnh, Chủ tịch UBND các huyện, thị "
                "xã, thành phố thực hiện quyết liệt công tác phòng, chống dịch Covid-19 trên địa bàn tỉnh.")
    assert task.lead_unit is None
    assert task.collective.startswith("các thành viên Ban chỉ đạo phòng, chống dịch Covid-19 các cấp; Thủ trưởng")


def test_the_whole_system_is_a_collective():
    task = only("Chủ tịch UBND tỉnh yêu cầu toàn hệ thống quyết tâm cao, đẩy nhanh giải ngân đầu tư công.")
    assert task.lead_unit is None and task.collective == "toàn hệ thống"


def test_steering_that_is_the_addressees_own_work_and_a_requirement_as_a_noun():
    tasks = run("Thường trực HĐND đề nghị UBND tỉnh đẩy nhanh tiến độ kiện toàn nhân sự. Đồng thời, rà soát, tăng cường "
                "chỉ đạo các sở, ngành vào cuộc quyết liệt để giải quyết vấn đề tồn đọng. Thường trực HĐND cũng nhấn "
                "mạnh việc tiết kiệm nguồn chi; phải đưa yêu cầu phòng, chống dịch lên trên hết.")
    assert [t.title for t in tasks] == ["Đẩy nhanh tiến độ kiện toàn nhân sự", "Rà soát, tăng cường chỉ đạo các sở, ngành "
                                       "vào cuộc quyết liệt để giải quyết vấn đề tồn đọng"]
    assert tasks[1].collective is None and tasks[1].lead_unit == "UBND"


def test_a_quoted_instruction_of_two_sentences_with_bare_localities_as_subject():
    tasks = run("\"Xã, phường phải tổ chức giao ban thường xuyên trong Thường trực Đảng ủy, Ban Thường vụ. Chủ tịch UBND "
                "phải báo cáo đầy đủ công việc cho Bí thư để nắm tình hình\" - đó là chỉ đạo của Bí thư Tỉnh ủy.")
    assert tasks[0].collective == "Xã, phường"
    assert tasks[0].title == "Tổ chức giao ban thường xuyên trong Thường trực Đảng ủy, Ban Thường vụ"
    # a bare pair of localities only addresses as the subject of "phải/cần"
    assert run("Tình hình an ninh tại xã, phường ổn định.") == []


def test_a_plans_requirements_after_its_aims_are_no_task():
    tasks = run("Kế hoạch yêu cầu Thủ trưởng các cơ quan, đơn vị liên quan căn cứ Kế hoạch này triển khai thực hiện.\n"
                "Với Mục đích tổ chức cụ thể hóa kịp thời các nhiệm vụ, giải pháp của Nghị quyết số 257/2025/QH15.\n"
                "Yêu cầu các đơn vị liên quan bám sát mục tiêu, nhiệm vụ của Nghị quyết số 257/2025/QH15; bảo đảm thực "
                "hiện nghiêm túc, hiệu quả.\nTổ chức quán triệt, tuyên truyền, phổ biến sâu rộng nội dung Nghị quyết.")
    assert [t.title for t in tasks][1:] == ["Tổ chức quán triệt, tuyên truyền, phổ biến sâu rộng nội dung Nghị quyết"]


def test_the_addressees_after_an_adverb_of_steering():
    task = only("Chủ tịch UBND tỉnh chỉ đạo quyết liệt các cơ quan liên quan vào cuộc kiểm tra, làm rõ và xử lý nghiêm.")
    assert task.collective == "các cơ quan liên quan"


def test_handing_a_case_to_the_police_is_work():
    tasks = run("Cùng ngày, UBND tỉnh Kon Tum đã chỉ đạo các cơ quan liên quan bàn giao toàn bộ hồ sơ vụ việc sang Công an "
                "tỉnh. Đồng thời, chuyển cơ quan công an điều tra vụ việc liên quan Dự án khai thác quỹ đất.")
    assert len(tasks) == 2 and tasks[1].title.startswith("Chuyển cơ quan công an điều tra")


def test_answers_of_one_form_after_each_complaint_are_not_a_lead_and_its_body():
    tasks = run("* Ông A phản ảnh về nội dung: hồ sơ chuyển mục đích không được tiếp nhận.\n"
                "Ý kiến chỉ đạo của Bí thư Tỉnh ủy: Có nhiều người dân đã phản ánh kéo dài, vì vậy đề nghị UBND tỉnh xử lý "
                "thông tin, xem xét giải quyết và báo cáo kết quả đến Thường trực Tỉnh ủy.\n"
                "* Một công dân phản ảnh về nội dung: khai thác cát trái phép trên sông.\n"
                "Ý kiến chỉ đạo của Bí thư Tỉnh ủy: Đề nghị UBND tỉnh xử lý thông tin theo quy định, báo cáo kết quả về "
                "Thường trực Tỉnh ủy.")
    assert len(tasks) == 2 and all(t.lead_unit == "UBND" for t in tasks)


def test_a_condition_naming_a_group_then_that_group_must_act():
    tasks = run("Bí thư Tỉnh ủy đề nghị Ủy ban tỉnh triển khai như đã trả lời cử tri.\n\nÔng đề nghị, cái nào thuộc thẩm "
                "quyền của các huyện, thị, thành phố thì địa phương đó cũng phải quan tâm.")
    assert len(tasks) == 2
    assert tasks[1].lead_unit is None and tasks[1].collective == "các huyện, thị, thành phố"


def test_more_of_the_same_work_on_the_object_above_after_dong_thoi_is_one_task():
    text = ("UBND tỉnh giao Sở Xây dựng chủ trì tiếp tục đầu tư hạ tầng và quản lý Khu công nghiệp Sao Mai theo quy "
            "hoạch; đồng thời tập trung huy động các nguồn lực để đầu tư hoàn thiện hạ tầng, khai thác có hiệu quả "
            "Khu Công nghiệp trên.")
    task = only(text)
    assert task.lead_unit == "SXD" and text[task.start:task.end].endswith("Khu Công nghiệp trên")
    # another piece of work after "; đồng thời," stays a task of its own
    assert len(run("UBND tỉnh giao Sở Y tế chủ trì tổ chức thực hiện hiệu quả các nhiệm vụ theo kế hoạch; đồng thời, "
                   "tăng cường công tác truyền thông về phòng, chống đuối nước.")) == 2


def test_a_list_of_departments_left_open_with_an_ellipsis_is_the_subject():
    tasks = run("UBND tỉnh yêu cầu các sở tập trung. Các sở Xây dựng, Tài chính, Nội vụ... tập trung giải quyết vướng mắc.")
    assert tasks[-1].lead_unit == "SXD" and tasks[-1].cooperating_units == ["STC", "SNV"]


def test_a_prompt_step_of_oversight_after_a_semicolon_continues_the_task():
    text = "Giao Sở Xây dựng theo dõi, giám sát chặt chẽ các công trình; kịp thời thanh tra, kiểm tra, xử lý nghiêm các vi phạm."
    task = only(text)
    assert text[task.start:task.end].endswith("xử lý nghiêm các vi phạm")
    # another piece of work after "; kịp thời" stays a task of its own
    assert len(run("Giao Sở Xây dựng theo dõi các công trình; kịp thời đề xuất các giải pháp tháo gỡ vướng mắc.")) == 2


def test_accountability_after_a_comma_keeps_the_instruction_before_it():
    tasks = run("Yêu cầu Thủ trưởng các cơ quan, đơn vị triển khai Đề án, chịu trách nhiệm trước Chủ tịch UBND tỉnh nếu để "
                "xảy ra sai phạm. Phối hợp chặt chẽ trong công tác thanh tra.")
    assert len(tasks) == 2 and tasks[0].collective == "Thủ trưởng các cơ quan, đơn vị"
    assert tasks[1].collective == "Thủ trưởng các cơ quan, đơn vị"  # the actorless item after it is theirs too


def test_officials_named_by_their_titles_are_addressed_before_their_work():
    task = only("Bộ Xây dựng yêu cầu Giám đốc Sở, Thủ trưởng cơ sở giáo dục đại học lập biên bản và báo cáo ngay.")
    assert task.title.startswith("Lập biên bản")
    # a bare noun phrase of many words before a verb is still not an addressee
    assert run("Đề nghị người dân trong khu vực có nguy cơ sạt lở cao chủ động di dời.") == []


def test_the_members_of_a_sub_committee_are_one_collective():
    task = only("Giám đốc Công an tỉnh, Trưởng tiểu ban yêu cầu các thành viên trong tiểu ban cần chủ động xây dựng kế "
                "hoạch của ngành mình.")
    assert task.collective == "các thành viên trong tiểu ban" and task.lead_unit is None


def test_a_collective_without_cac_acting_directly_is_a_task():
    tasks = run("Thủ tướng yêu cầu Sở Xây dựng tăng cường giám sát. Chủ tịch UBND cấp tỉnh trực tiếp chỉ đạo và kiểm tra "
                "việc triển khai các hoạt động phòng chống dịch.")
    assert len(tasks) == 2 and tasks[1].collective == "Chủ tịch UBND cấp tỉnh"


def test_a_lead_announcing_a_letter_to_no_one_is_summed_up_by_the_assignment():
    task = only("UBND tỉnh vừa có công văn yêu cầu tăng cường quản lý nhà nước về khoáng sản.\n\nUBND tỉnh giao Sở Xây dựng "
                "rà soát, thống kê các giấy phép đã cấp.")
    assert task.lead_unit == "SXD"


def test_the_end_of_a_range_yields_to_a_due_date_written_too():
    task = only("Giao Sở Xây dựng rà soát các giấy phép đã cấp từ tháng 7.2011 đến hết năm 2021; báo cáo UBND tỉnh trước "
                "ngày 15.7.2022.")
    assert task.deadline == date(2022, 7, 15)
    # alone, the range's end is the deadline
    assert only("Giao Sở Xây dựng thống kê các công trình từ đầu tháng 1/2020 tới ngày 15/6/2020.").deadline == date(2020, 6, 15)


def test_a_plural_group_ended_by_a_modal_is_addressed_as_written():
    task = only("Thủ tướng yêu cầu các phương tiện thông tin đại chúng cần tập trung làm tốt công tác thông tin.")
    assert task.collective == "các phương tiện thông tin đại chúng"  # "các phương tiện" is no "các phường"
    assert only("Yêu cầu UBND các xã, phường khẩn trương rà soát.").collective == "UBND các xã, phường"
    assert run("Đề nghị các hộ gia đình cần chủ động phòng chống.") == []  # the public, no unit's task


def test_what_a_check_covers_listed_after_trong_do_is_part_of_it():
    text = ("UBND các huyện chỉ đạo Phòng Tài nguyên và Môi trường kiểm tra các mỏ, trong đó có vị trí, ranh giới khai thác; "
            "sản lượng, công suất khai thác; hóa đơn, chứng từ mua bán.")
    task = only(text)
    assert text[task.start:task.end].endswith("hóa đơn, chứng từ mua bán")


def test_a_precondition_after_a_semicolon_continues_the_task():
    text = ("Giao Sở Xây dựng tham mưu UBND tỉnh cấp phép theo đúng quy định; trước khi gia hạn giấy phép cho các mỏ đã hết "
            "hạn, phải tổ chức đánh giá toàn diện việc chấp hành pháp luật.")
    task = only(text)
    assert text[task.start:task.end].endswith("việc chấp hành pháp luật")


def test_the_committee_of_a_centrally_run_city_is_the_issuing_committee():
    task = only("TP. Đà Nẵng: Thường trực HĐND thành phố đề nghị UBND thành phố đẩy nhanh tiến độ kiện toàn nhân sự.")
    assert task.lead_unit == "UBND"
    # a province's text: "UBND thành phố" is not its committee; a national text naming several cities neither
    assert only("UBND tỉnh giao UBND thành phố khẩn trương rà soát hồ sơ ở Đà Nẵng.").lead_unit != "UBND"
    assert only("Thủ tướng yêu cầu UBND TP Hà Nội, UBND TP.HCM báo cáo tình hình.").lead_unit is None


def test_carrying_out_some_tasks_well_with_nothing_named_is_no_task():
    assert run("Chủ tịch UBND tỉnh chỉ đạo thủ trưởng các sở, ngành tập trung triển khai thực hiện tốt một số nhiệm vụ.") == []
    assert len(run("Chủ tịch UBND tỉnh yêu cầu các sở, ngành tập trung triển khai thực hiện tốt kế hoạch tiêm chủng.")) == 1


def test_a_second_deliverable_after_a_comma_is_a_task_of_its_own():
    tasks = run("Đề nghị Sở Nội vụ đẩy nhanh tiến độ kiện toàn nhân sự của các phòng chuyên môn, chuẩn bị đầy đủ các nội dung "
                "cho kỳ họp thứ nhất của HĐND tỉnh.")
    assert len(tasks) == 2 and all(t.lead_unit == "SNV" for t in tasks)
    # steps of one piece of work after commas stay one task
    assert len(run("Giao Sở Xây dựng rà soát, kiểm tra, xử lý các công trình vi phạm trật tự xây dựng.")) == 1


def test_the_chairman_of_an_unnamed_committee_as_subject_is_a_collective():
    task = only("Chủ tịch UBND xã phải báo cáo đầy đủ công việc cho Bí thư để nắm tình hình.")
    assert task.collective == "Chủ tịch UBND xã" and task.lead_unit is None


def test_a_quotation_closed_before_its_attribution_ends_the_sentence():
    text = ('"Xã, phường phải tổ chức giao ban thường xuyên. Chủ tịch UBND phải báo cáo đầy đủ công việc cho Bí thư" - đó là '
            'chỉ đạo của Bí thư Tỉnh ủy tại hội nghị.')
    tasks = run(text)
    assert len(tasks) == 2 and text[tasks[1].start:tasks[1].end].endswith("cho Bí thư")


def test_an_item_cut_off_at_the_top_of_an_excerpt_before_the_first_assignment_is_a_task():
    text = ("Báo cáo tình hình thực hiện công tác xóa nhà ở tạm cho hộ nghèo từ đầu năm đến nay, trong đó cần phân tích rõ "
            "từng nguồn vốn hỗ trợ.\nUBND tỉnh giao Sở Xây dựng hướng dẫn và tăng cường kiểm tra việc thực hiện.")
    tasks = run(text)
    assert len(tasks) == 2 and tasks[0].start == 0 and tasks[0].lead_unit is None and tasks[1].lead_unit == "SXD"
    # a headline (short, no full stop) before the first assignment stays none
    assert len(run("Tăng cường kiểm tra xây dựng\nUBND tỉnh giao Sở Xây dựng tăng cường kiểm tra việc thực hiện.")) == 1


def test_an_amount_counted_per_year_is_no_recurrence():
    task = only("Giao Sở Xây dựng kiểm tra hóa đơn, chứng từ nhằm kiểm soát sản lượng khai thác hàng năm.")
    assert not task.ongoing and task.recurrence is None
    assert only("Giao Sở Xây dựng báo cáo kết quả hằng năm.").recurrence == {"every": "year", "day": None}


def test_a_plural_of_bodies_the_registry_does_not_know_is_addressed_as_written():
    task = only("Thực hiện chỉ đạo của Bộ Y tế, Sở Xây dựng yêu cầu các bệnh viện tăng cường công tác phòng dịch.")
    assert task.collective == "các bệnh viện"
    assert run("UBND tỉnh yêu cầu các nội dung triển khai phải đúng tiến độ.") == []  # things, not bodies


def test_a_past_instruction_to_a_named_unit_told_as_the_answer_to_a_complaint_is_a_task():
    task = only("Người dân phản ánh tình trạng khai thác cát trái phép tại xã A. Ngay sau khi nhận được phản ánh, UBND tỉnh "
                "đã chỉ đạo Sở Xây dựng kiểm tra, xử lý.")
    assert task.lead_unit == "SXD"
    assert run("Năm 2019, UBND tỉnh đã chỉ đạo Sở Xây dựng kiểm tra 20 công trình, phát hiện 5 vi phạm.") == []


def test_a_list_of_kinds_of_body_without_cac_is_a_collective():
    assert only("UBND tỉnh yêu cầu sở, ngành, địa phương rà soát các dự án chậm tiến độ.").collective == \
        "sở, ngành, địa phương"
    tasks = run("UBND tỉnh yêu cầu Sở Xây dựng tăng cường kiểm tra. Sở, ban, ngành và địa phương tăng cường tuyên truyền.")
    assert len(tasks) == 2 and tasks[1].collective == "Sở, ban, ngành và địa phương"
    assert only("Giao Sở Xây dựng, Sở Tài chính rà soát.").lead_unit == "SXD"  # named units stay units


def test_a_headline_line_before_a_news_lead_is_no_task():
    task = only("Chủ tịch UBND tỉnh đề nghị công an lập chốt kiểm soát nguồn cung cấp cát trên các tuyến\nChủ tịch UBND tỉnh "
                "vừa có văn bản yêu cầu các sở, ngành, địa phương siết chặt quản lý việc khai thác cát.")
    assert task.collective == "các sở, ngành, địa phương"


def test_a_statement_about_work_at_the_top_of_an_excerpt_is_no_task():
    assert len(run("Tăng cường công tác phòng chống dịch bệnh trên đàn gia súc, gia cầm trong mùa mưa lũ năm nay là yêu cầu "
                   "cấp thiết của các địa phương.\nUBND tỉnh giao Sở Xây dựng hướng dẫn và kiểm tra việc thực hiện.")) == 1


def test_the_committees_of_two_kinds_of_locality_without_cac_are_a_collective():
    tasks = run("UBND tỉnh yêu cầu UBND phường, xã tiếp tục đẩy mạnh phong trào phòng cháy, chữa cháy; tiếp tục vận động "
                "các hộ gia đình tự mở lối thoát nạn thứ hai.")
    assert [t.collective for t in tasks] == ["UBND phường, xã", "UBND phường, xã"]
    assert only("UBND tỉnh yêu cầu UBND quận, huyện rà soát các công trình vi phạm.").collective == "UBND quận, huyện"
    assert only("Giao UBND huyện Duy Xuyên, Sở Xây dựng rà soát.").lead_unit == "DUYXUYEN"  # a named one stays a unit


def test_a_unit_assigned_in_the_passive_is_given_the_work_whatever_its_verb():
    task = only("Sở Xây dựng cũng được giao xác định lộ trình thực hiện quy hoạch nông thôn mới tại các xã.")
    assert task.lead_unit == "SXD" and task.title.startswith("Xác định lộ trình")
    assert only("Sở Tài chính được giao rà soát dự toán.").title == "Rà soát dự toán"
    assert run("Sở Xây dựng đã được giao nhiều nhiệm vụ trong năm qua.") == []  # no work named after it


def test_an_urgency_word_typed_with_a_wrong_tone_is_read_as_meant():
    tasks = run("UBND tỉnh yêu cầu các huyện tăng cường kiểm tra. Khần trương rà soát, khắc phục tình trạng khai thác trái "
                "phép; tăng cường chỉ đạo cơ quan chuyên môn bảo vệ khoáng sản chưa khai thác.")
    assert len(tasks) == 3 and tasks[1].title.startswith("Khần trương rà soát")  # the title keeps the text as written
    assert all(t.collective == "các huyện" for t in tasks)


def test_what_the_public_is_told_after_a_semicolon_is_the_propagandas_content():
    text = ("UBND tỉnh yêu cầu các sở, ngành tăng cường kiểm tra. Đồng thời, tuyên truyền người dân nâng cao cảnh giác, "
            "không mua, không sử dụng; các cơ sở kinh doanh không tham gia tiêu thụ hàng lậu.")
    tasks = run(text)
    assert len(tasks) == 2 and text[:tasks[1].end].endswith("tiêu thụ hàng lậu")
    # another piece of work after ";" stays a task of its own
    assert len(run("UBND tỉnh yêu cầu Sở Xây dựng tuyên truyền quy định mới; hướng dẫn các hộ dân lập hồ sơ.")) == 2


def test_handling_violations_after_a_check_is_its_follow_through():
    assert len(run("UBND tỉnh giao Sở Xây dựng kiểm tra các công trình; đồng thời xử lý nghiêm các hành vi vi phạm.")) == 1
    assert len(run("UBND tỉnh giao UBND huyện Đại Lộc giải tỏa lều quán lấn chiếm vỉa hè; đồng thời xử lý nghiêm các "
                   "trường hợp vi phạm.")) == 1
    # after work that checks nothing, the handling is a task of its own
    assert len(run("UBND tỉnh giao Sở Xây dựng lập quy hoạch; xử lý nghiêm các hành vi vi phạm.")) == 2


def test_song_song_do_is_a_connector_before_the_next_addressee():
    tasks = run("UBND tỉnh yêu cầu Sở Xây dựng xây dựng kế hoạch. Song song đó, các sở, ngành, địa phương phối hợp tăng "
                "cường tuyên truyền, vận động người dân.")
    assert len(tasks) == 2 and tasks[1].collective == "các sở, ngành, địa phương"


def test_the_difficulties_to_report_after_a_semicolon_continue_the_task():
    task = only("UBND tỉnh giao Sở Xây dựng xử lý các hành vi vi phạm theo quy định; những khó khăn, vướng mắc trong công tác "
                "quản lý và đề xuất, kiến nghị gửi về Sở Tài chính.")
    assert task.lead_unit == "SXD" and task.title == "Xử lý các hành vi vi phạm theo quy định"


def test_a_fallback_assignment_if_the_task_before_is_not_done_belongs_to_it():
    text = ("UBND tỉnh giao Sở Xây dựng yêu cầu các chủ mỏ đóng cửa mỏ theo đề án. Trường hợp các chủ mỏ không chấp hành "
            "thì UBND cấp huyện giao phòng chức năng lập đề án đóng cửa mỏ.")
    task = only(text)
    assert task.lead_unit == "SXD" and text[:task.end].endswith("lập đề án đóng cửa mỏ")
    # a sentence that assigns at once stays a task of its own
    assert len(run("UBND tỉnh giao Sở Xây dựng kiểm tra các mỏ. Giao Sở Tài chính bố trí kinh phí.")) == 2


def test_a_past_request_told_as_the_answer_to_a_press_report_is_a_task():
    task = only("Trước phản ánh của báo chí, UBND tỉnh đã yêu cầu Sở Xây dựng kiểm tra, báo cáo trước ngày 15/6/2020.")
    assert task.lead_unit == "SXD" and task.deadline == date(2020, 6, 15)
    assert run("Năm 2019, UBND tỉnh đã yêu cầu Sở Xây dựng kiểm tra 20 công trình, phát hiện 5 vi phạm.") == []


def test_a_headline_run_into_the_lead_ends_at_the_agencys_dateline():
    task = only("Đà Nẵng yêu cầu nghiêm túc khắc phục sai phạm khu đất vàng Địa ốc TPO - UBND tỉnh vừa có công văn yêu cầu "
                "Sở Xây dựng thực hiện nghiêm túc kết luận thanh tra về dự án khu du lịch.")
    assert task.lead_unit == "SXD"
    assert only("(QNO) - UBND tỉnh vừa có công văn yêu cầu Sở Xây dựng kiểm tra các mỏ.").lead_unit == "SXD"


def test_a_plans_unit_headings_lead_the_items_under_them():
    text = ("IV. TỔ CHỨC THỰC HIỆN\n1. Sở Xây dựng\n- Chủ trì, phối hợp với các sở, ngành triển khai Kế hoạch này.\n"
            "- Hướng dẫn, kiểm tra việc thực hiện.\n2. Sở Tài chính\nTham mưu bố trí kinh phí thực hiện Kế hoạch.\n"
            "3. UBND các huyện, thành phố\n- Xây dựng kế hoạch thực hiện tại địa phương.")
    tasks = run(text)
    assert [(t.lead_unit, t.collective) for t in tasks] == [
        ("SXD", None), ("SXD", None), ("STC", None), (None, "UBND các huyện, thành phố")]
    assert len(run(text.replace("\n1. Sở Xây dựng\n", "\n1. Sở Xây dựng:\n"))) == 4  # with a colon the same
    # what units did, under their names, is a report
    assert run("Kết quả năm 2020:\n1. Sở Xây dựng\n- Đã kiểm tra 20 công trình.\n2. Sở Tài chính\n"
               "- Đã bố trí kinh phí 5 tỷ đồng.") == []


def test_a_unit_that_only_cooperates_during_the_work_before_has_no_task_of_its_own():
    tasks = run("Văn phòng UBND tỉnh truyền đạt ý kiến như sau:\n1. Sở Xây dựng khẩn trương kiểm tra hiện trạng công trình.\n"
                "2. UBND huyện Đại Lộc phối hợp với Sở Xây dựng trong quá trình kiểm tra.\n3. Sở Tài chính bố trí kinh phí.")
    assert [t.lead_unit for t in tasks] == ["SXD", "STC"]


def test_a_collective_then_the_title_of_named_units_cooperate_as_written():
    task = only("Giao Sở Xây dựng chủ trì, phối hợp với thủ trưởng các sở, ngành liên quan và Chủ tịch UBND các huyện "
                "Duy Xuyên, Đại Lộc triển khai kế hoạch bảo tồn văn hóa.")
    assert task.cooperating_units == ["DUYXUYEN", "DAILOC"]
    assert task.cooperating_collective == ["thủ trưởng các sở, ngành liên quan"]
    # "cáchuyện" glued as a PDF's text prints it
    glued = only("Giao Sở Xây dựng chủ trì,phối hợp với Chủ tịch UBND cáchuyện Duy Xuyên, Đại Lộc triển khai kế hoạch.")
    assert glued.cooperating_units == ["DUYXUYEN", "DAILOC"]


def test_praise_before_an_assignment_in_the_same_sentence_does_not_drop_it():
    task = only("Tại buổi làm việc, Chủ tịch UBND tỉnh ghi nhận kết quả đạt được và giao Sở Xây dựng chủ trì xây dựng đề án, "
                "trình UBND tỉnh trong tháng 9/2020.")
    assert task.lead_unit == "SXD" and task.deadline == date(2020, 9, 30)
    assert run("Chủ tịch UBND tỉnh ghi nhận và đánh giá cao kết quả đạt được của Sở Xây dựng.") == []


def test_a_unit_given_the_lead_in_the_passive_keeps_its_roles_out_of_the_title():
    task = only("Sở Xây dựng được giao chủ trì, phối hợp với Sở Tài chính rà soát định mức.")
    assert task.lead_unit == "SXD" and task.cooperating_units == ["STC"] and task.title == "Rà soát định mức"


def test_a_leaders_emphasis_before_a_colon_heads_the_instruction_quoted_after_it():
    task = only("Phát biểu chỉ đạo, Chủ tịch UBND tỉnh nhấn mạnh: “Các địa phương phải rà soát toàn bộ các hộ nghèo, hoàn "
                "thành trước ngày 30/6”.")
    assert task.collective == "Các địa phương" and task.lead_unit is None and task.title.startswith("Rà soát")
    assert run("Chủ tịch UBND tỉnh nhấn mạnh: năm 2020 là năm có ý nghĩa quan trọng.") == []


def test_units_asked_in_the_passive_are_given_the_work():
    task = only("Theo đó, các đơn vị được yêu cầu hoàn thành báo cáo trước ngày 20/6.")
    assert task.collective == "các đơn vị" and task.deadline == date(2020, 6, 20)
    # "được giao nhiệm vụ tại Kế hoạch này" says who, the work follows "có trách nhiệm"
    task = only("Các sở, ngành được giao nhiệm vụ tại Kế hoạch này có trách nhiệm xây dựng kế hoạch chi tiết.")
    assert task.collective == "Các sở, ngành" and task.title == "Xây dựng kế hoạch chi tiết"


def test_the_political_and_social_organisations_are_one_collective_as_written():
    task = only("Đề nghị Ủy ban MTTQ Việt Nam tỉnh và các tổ chức chính trị - xã hội phối hợp tuyên truyền.")
    assert task.collective == "Ủy ban MTTQ Việt Nam tỉnh và các tổ chức chính trị - xã hội"
    assert task.title == "Phối hợp tuyên truyền"


def test_a_district_named_for_its_committee_is_the_committee():
    tasks = run("Tỉnh yêu cầu các huyện khẩn trương khắc phục hậu quả mưa lũ; riêng huyện Duy Xuyên phải hoàn thành sửa "
                "chữa đê trước 15/11.")
    assert [(t.lead_unit, t.collective) for t in tasks] == [(None, "các huyện"), ("DUYXUYEN", None)]
    assert tasks[1].deadline == date(2020, 11, 15)
    # a place named in the work stays a place
    assert only("Giao Sở Xây dựng kiểm tra các công trình trên địa bàn huyện Duy Xuyên.").cooperating_units == []


def test_a_listed_department_whose_name_holds_va_is_one_item():
    task = only("Yêu cầu các Sở: Xây dựng, Tài chính, Kế hoạch và Đầu tư phối hợp thẩm định dự án.")
    assert task.lead_unit == "SXD" and task.cooperating_units == ["STC", "SKHDT"]
    assert only("Giao các sở Kế hoạch và Đầu tư, Tài chính rà soát.").cooperating_units == ["STC"]


# --- sixteenth fresh batch (documents 381-399): families that recur across batches -----------------------------------

def test_a_past_instruction_whose_work_is_urged_is_the_news_of_a_fresh_instruction():
    tasks = run("Chủ tịch UBND tỉnh đã yêu cầu UBND cấp huyện khẩn trương rà soát hồ sơ quy hoạch. Chủ tịch UBND tỉnh "
                "giao Sở Xây dựng hướng dẫn UBND cấp huyện thực hiện.")
    assert [(t.lead_unit, t.collective) for t in tasks] == [(None, "UBND cấp huyện"), ("SXD", None)]
    assert tasks[0].title == "Khẩn trương rà soát hồ sơ quy hoạch"
    # what was done, and an instruction recalled before "Tuy nhiên, đến nay ...", stay reports
    assert run("Năm 2022, UBND tỉnh đã chỉ đạo các sở tập trung rà soát hồ sơ.") == []
    assert run("Chủ tịch UBND tỉnh đã yêu cầu UBND cấp huyện khẩn trương rà soát hồ sơ quy hoạch. Tuy nhiên, đến nay "
               "vẫn chưa xong.") == []


def test_responsibility_given_in_detail_to_each_level_is_an_assignment():
    task = only("Chủ tịch UBND tỉnh chỉ đạo, giao trách nhiệm cụ thể cho từng cấp ngành đơn vị liên quan, khẩn trương "
                "tháo gỡ vướng mắc.")
    assert task.collective == "từng cấp ngành đơn vị liên quan" and task.title == "Khẩn trương tháo gỡ vướng mắc"


def test_ending_a_practice_is_work():
    task = only("Thủ tướng yêu cầu chấm dứt ngay tình trạng xét duyệt hồ sơ chậm.")
    assert task.title == "Chấm dứt ngay tình trạng xét duyệt hồ sơ chậm" and task.lead_unit is None
    # a project ended at someone's request is a report
    assert run("Nhiều dự án bị cơ quan chức năng đề nghị chấm dứt dự án.") == []


def test_addressees_pointed_back_to_reporting_is_the_report_back_of_the_task_before():
    task = only("Chủ tịch UBND tỉnh yêu cầu các huyện khẩn trương kiểm tra hồ sơ tồn đọng. Các địa phương này phải báo "
                "cáo Chủ tịch UBND tỉnh kết quả trước ngày 15.11.")
    assert task.collective == "các huyện" and task.deadline == date(2020, 11, 15)
    # other work of the same addressees stays a task of its own
    tasks = run("Tỉnh yêu cầu các huyện khẩn trương kiểm tra hồ sơ. Những địa phương này phải phục hồi sản xuất.")
    assert [t.collective for t in tasks] == ["các huyện", "Những địa phương này"]


def test_a_letter_that_states_plainly_heads_the_instruction_after_its_colon():
    task = only("Công văn nêu rõ: Sở Xây dựng, Sở Tài chính, UBND các xã, phường phối hợp các đơn vị liên quan thực hiện "
                "tốt công tác quản lý hạ tầng.")
    assert task.lead_unit == "SXD" and task.cooperating_units == ["STC"]
    assert task.title == "Thực hiện tốt công tác quản lý hạ tầng"


def test_the_special_zones_are_localities_of_a_collective():
    task = only("Giao UBND các xã, phường, đặc khu chủ trì thực hiện phong trào.")
    assert task.collective == "UBND các xã, phường, đặc khu" and task.title == "Thực hiện phong trào"


def test_the_work_after_a_matter_put_first_and_a_modal_is_a_task():
    tasks = run("Chủ tịch yêu cầu Sở Xây dựng rà soát quy hoạch. Với các quy hoạch cần xin ý kiến, hoặc do các bộ, ngành "
                "Trung ương cũng cần nhanh chóng hoàn tất quy trình thực hiện.")
    assert [t.title for t in tasks] == ["Rà soát quy hoạch", "Nhanh chóng hoàn tất quy trình thực hiện"]
    assert tasks[1].lead_unit == "SXD"
    task = only("Phó Chủ tịch đưa ra kết luận: Trong lĩnh vực môi trường cần theo dõi đôn đốc các ấp còn tồn đọng rác thải.")
    assert task.title.startswith("Theo dõi đôn đốc") and task.lead_unit is None and task.collective is None
    # a rule for others ("Đối với <them> ... thì phải ...") stays no task
    assert run("Kết luận: Đối với đơn vị đã được phê duyệt đề án nhưng chưa thực hiện thì phải tập trung thực hiện.") == []


def test_a_leaders_words_quoted_and_attributed_are_no_part_of_the_task_before():
    task = only("Chủ tịch yêu cầu Sở Xây dựng rà soát quy hoạch. “Không để vì vướng trong quy hoạch mà chậm tiến độ các "
                "dự án”, Chủ tịch UBND tỉnh nhấn mạnh.")
    assert task.end == len("Chủ tịch yêu cầu Sở Xây dựng rà soát quy hoạch")


def test_the_steps_of_a_detail_sentence_on_the_process_stay_with_the_task():
    task = only("Giao UBND các huyện lập kế hoạch điều chỉnh quy hoạch trong quý II/2020. Trong quá trình lập, thực hiện "
                "nghiêm việc lấy ý kiến cộng đồng dân cư; khắc phục tình trạng các dự án treo; xử lý các tồn tại, bất cập.")
    assert task.collective == "UBND các huyện" and task.deadline == date(2020, 6, 30)
    assert task.end > 150


def test_a_lead_naming_no_one_told_again_in_full_to_its_addressees_is_one_task():
    task = only("Chủ tịch UBND tỉnh yêu cầu khẩn trương kiểm tra, làm rõ nguyên nhân trễ hẹn và giải quyết dứt điểm hồ sơ "
                "còn tồn đọng.\n\nNgày 10.11, Văn phòng UBND tỉnh cho biết Chủ tịch UBND tỉnh yêu cầu Sở Nội vụ chủ trì "
                "khẩn trương kiểm tra, làm rõ nguyên nhân trễ hẹn và giải quyết dứt điểm hồ sơ còn tồn đọng.")
    assert task.lead_unit == "SNV"


def test_titles_start_at_the_work_not_at_the_role_words():
    assert only("Sở Xây dựng có trách nhiệm chủ trì, phối hợp với Sở Tài chính rà soát quy hoạch.").title == "Rà soát quy hoạch"
    assert only("UBND các huyện có trách nhiệm cấp kinh phí.").title == "Cấp kinh phí"
    tasks = run("1. Sở Xây dựng\n- Chủ trì, phối hợp với Sở Tài chính rà soát quy hoạch.\n- Có trách nhiệm hướng dẫn các "
                "huyện thực hiện.")
    assert [(t.title, t.lead_unit, t.cooperating_units) for t in tasks] == [
        ("Rà soát quy hoạch", "SXD", ["STC"]), ("Hướng dẫn các huyện thực hiện", "SXD", [])]
    assert only("Giao Sở Xây dựng: Chủ trì, phối hợp với Sở Tài chính rà soát quy hoạch.").title == "Rà soát quy hoạch"
    # "chủ trì" naming the work itself is kept as the work
    assert only("Kết luận: Chủ trì tổ chức hội nghị tổng kết.").title == "Tổ chức hội nghị tổng kết"


def test_each_sectors_committee_named_for_its_purpose_is_one_collective_glued_or_not():
    for text in ("Ban vì sự tiến bộ phụ nữ các sở, ban, ngành, huyện căn cứ Kế hoạch, tiến hành xây dựng kế hoạch.",
                 "Ban vì sự tiến bộ phụ nữ cácsở, ban, ngành, huyện căn cứ Kế hoạch, tiến hành xây dựng kế hoạch."):
        task = only(text)
        assert task.collective.startswith("Ban vì sự tiến bộ phụ nữ các") and task.lead_unit is None


def test_a_town_or_city_abbreviated_in_a_list_of_districts_is_its_committee():
    units = [*UNITS, UnitRef("ANNHON", "Ủy ban nhân dân thị xã An Nhơn", "UBND thị xã An Nhơn", kind="district"),
             UnitRef("QUYNHON", "Ủy ban nhân dân thành phố Quy Nhơn", "UBND thành phố Quy Nhơn", kind="district")]
    tasks = extract("Yêu cầu Chủ tịch UBND các huyện Duy Xuyên, Đại Lộc, TX.An Nhơn và TP.Quy Nhơn chủ trì, phối hợp "
                    "với các cơ quan liên quan khẩn trương kiểm tra hồ sơ.", units, issued_on=ISSUED)
    assert len(tasks) == 1
    assert tasks[0].lead_unit == "DUYXUYEN" and tasks[0].cooperating_units == ["DAILOC", "ANNHON", "QUYNHON"]
    assert tasks[0].title == "Khẩn trương kiểm tra hồ sơ"


def test_the_first_step_of_the_work_in_a_sentence_of_its_own_stays_with_it():
    task = only("UBND Thành phố yêu cầu Sở Xây dựng tăng cường phát triển hệ thống cây xanh. Trước mắt, tập trung trang "
                "trí hoa trên các tuyến đường chính, hoàn thành trước ngày 30/6.")
    assert task.lead_unit == "SXD" and task.deadline == date(2020, 6, 30)
    assert task.title == "Tăng cường phát triển hệ thống cây xanh"


def test_cables_cited_after_a_semicolon_are_references_of_the_task():
    task = only("Chủ tịch UBND tỉnh yêu cầu các sở, ngành thực hiện nghiêm túc Chỉ thị số 29/CT-UBND ngày 26/12/2016; các "
                "Công điện 17 CĐ-UBND, 19/CĐ-UBND về tiếp tục xử lý rác thải sinh hoạt.")
    assert task.collective == "các sở, ngành" and task.title.startswith("Thực hiện nghiêm túc Chỉ thị số 29/CT-UBND")


def test_a_steering_committees_name_is_no_assignment():
    # "Ban chỉ đạo" named among a cable's addressees is a body, not the verb "chỉ đạo"
    assert run("Công văn gửi Sở Y tế; Văn phòng Ban chỉ đạo phòng chống dịch tỉnh.") == []
    assert run("Công điện gửi Chủ tịch UBND các tỉnh: Quảng Ninh; Thông tấn xã Việt Nam; Văn phòng Ban chỉ đạo phòng "
               "thủ dân sự quốc gia.") == []


def test_the_members_of_a_steering_committee_are_one_collective_with_its_long_name():
    task = only("UBND tỉnh yêu cầu các sở, ngành, cơ quan thành viên Ban Chỉ huy Phòng thủ dân sự tỉnh; UBND các xã, "
                "phường chủ động ứng phó với mưa lớn.")
    assert task.lead_unit is None and "Ban Chỉ huy Phòng thủ dân sự tỉnh" in task.collective
    assert task.title == "Chủ động ứng phó với mưa lớn"
    task = only("Các cơ quan thành viên Ban Chỉ đạo phòng, chống dịch tỉnh và UBND các huyện hàng ngày báo cáo kết quả "
                "về Sở Y tế.")
    assert task.collective.startswith("Các cơ quan thành viên Ban Chỉ đạo phòng, chống dịch tỉnh")
    # "Hằng ngày, ..." opening a sentence of news is no work
    assert run("Hằng ngày, có tới hàng chục tàu hút cát tập kết tại địa bàn xã.") == []


def test_a_request_announcing_the_tasks_that_follow_is_their_lead_in():
    tasks = run("UBND tỉnh đề nghị các đồng chí thành viên Ban Chỉ huy Phòng thủ dân sự - Phòng, chống thiên tai và Tìm "
                "kiếm cứu nạn tỉnh, các cơ quan, đơn vị tiếp tục thực hiện nghiêm chỉ đạo của Thủ tướng Chính phủ. Trong "
                "đó, tập trung vào một số nhiệm vụ trọng tâm: Theo dõi chặt chẽ bản tin dự báo để chủ động phòng tránh.\n"
                "Triển khai lực lượng xung kích kiểm tra các khu dân cư. Sẵn sàng lực lượng, phương tiện để cứu hộ, cứu "
                "nạn khi có yêu cầu.")
    assert [t.title for t in tasks] == ["Theo dõi chặt chẽ bản tin dự báo để chủ động phòng tránh",
                                        "Triển khai lực lượng xung kích kiểm tra các khu dân cư",
                                        "Sẵn sàng lực lượng, phương tiện để cứu hộ, cứu nạn khi có yêu cầu"]
    assert all(t.collective.startswith("các đồng chí thành viên Ban Chỉ huy") and t.lead_unit is None for t in tasks)


def test_the_closing_clause_stays_none_when_a_committees_name_holds_and():
    assert run("Giao Giám đốc Sở Tài chính; thành viên Ban Chỉ huy phòng chống thiên tai và tìm kiếm cứu nạn tỉnh, Chủ "
               "tịch UBND huyện Đại Lộc và huyện Duy Xuyên; Thủ trưởng cơ quan, đơn vị có liên quan chịu trách nhiệm thi "
               "hành Quyết định này kể từ ngày ký.") == []


def test_a_lead_announcing_a_cable_is_summed_up_by_the_same_addressees_told_its_content():
    tasks = run("Chủ tịch UBND tỉnh vừa ký ban hành Công điện số 14/CĐ-UBND yêu cầu thủ trưởng các sở, ban, ngành và chủ "
                "tịch UBND các huyện chủ động ứng phó với bão.\n\nChủ tịch UBND tỉnh yêu cầu thủ trưởng các sở, ban, "
                "ngành, chủ tịch UBND các huyện tập trung theo dõi, nắm chắc tình hình, triển khai các biện pháp ứng phó.")
    assert len(tasks) == 1 and tasks[0].title.startswith("Tập trung theo dõi")
    # an actorless sentence after the lead, inheriting its addressees, is work of its own
    tasks = run("Chủ tịch UBND tỉnh vừa có công văn giao UBND các huyện, thành phố tổ chức kiểm tra, rà soát sạt lở bờ "
                "sông.\n\nTheo chức năng, nhiệm vụ được giao, chủ động triển khai thực hiện các nội dung Công văn nêu trên.")
    assert len(tasks) == 2


def test_the_heads_full_accountability_after_a_semicolon_ends_the_request_and_is_no_task():
    for text in ("UBND tỉnh yêu cầu các sở, ngành triển khai thực hiện theo Kế hoạch số 126/KH-UBND ngày 27/3/2018 của "
                 "UBND tỉnh; Thủ trưởng các đơn vị chịu hoàn toàn trách nhiệm trước UBND tỉnh nếu để xảy ra chậm trễ.",
                 "UBND tỉnh yêu cầu các sở, ngành rà soát hồ sơ; Thủ trưởng các đơn vị chịu hoàn toàn trách nhiệm trước "
                 "UBND tỉnh nếu để xảy ra chậm trễ."):
        task = only(text)
        assert task.collective == "các sở, ngành" and "chịu hoàn toàn" not in text[task.start:task.end]


def test_periodic_events_in_the_past_are_no_ongoing_work():
    task = only("Giao Sở Kế hoạch và Đầu tư rà soát kết quả giải quyết kiến nghị tại các buổi tiếp doanh nghiệp định kỳ "
                "từ năm 2019 đến nay.")
    assert task.lead_unit == "SKHDT" and not task.ongoing
    assert only("Giao Sở Kế hoạch và Đầu tư định kỳ báo cáo UBND tỉnh kết quả.").ongoing


def test_bao_cao_mistyped_in_its_tones_is_read_as_meant():
    task = only("Tình hình tập kết khoáng sản đề nghị các ấp phải bảo cáo kịp thời khi phát hiện các điểm tập kết.")
    assert task.collective == "các ấp" and task.title.startswith("Bảo cáo kịp thời")


def test_work_groups_named_bare_before_a_modal_are_one_collective():
    task = only("Ông yêu cầu: Tổ Địa chính, tổ Kiểm tra phải tăng cường công tác phối hợp theo dõi địa bàn.")
    assert task.collective == "Tổ Địa chính, tổ Kiểm tra" and task.lead_unit is None
    assert run("Tổ dân phố, tổ tự quản đã tổ chức họp dân.") == []


# --- eighteenth fresh batch (documents 413-422) -------------------------------------------------------------------

def test_a_party_secretary_named_before_a_collective_does_not_hide_it():
    task = only("Chủ tịch UBND tỉnh yêu cầu Bí thư Đảng ủy, Chủ tịch UBND các xã, phường tiếp tục huy động tối đa "
                "lực lượng tại chỗ.")
    assert task.title.startswith("Tiếp tục huy động")
    assert task.lead_unit is None and task.collective == "Chủ tịch UBND các xã, phường"
    assert only("Chủ tịch UBND tỉnh yêu cầu Bí thư Huyện ủy, Chủ tịch UBND các huyện lập biên bản.").collective \
        == "Chủ tịch UBND các huyện"


def test_full_accountability_after_a_semicolon_is_no_second_task():
    tasks = run("Chủ tịch UBND tỉnh yêu cầu Chủ tịch UBND các xã, phường hoàn thành việc xây dựng nhà ở trước ngày "
                "15-6-2020; chịu trách nhiệm toàn diện trước UBND tỉnh về tiến độ, an toàn và chất lượng công trình.")
    assert len(tasks) == 1 and tasks[0].deadline == date(2020, 6, 15)


def test_a_comma_or_a_condition_between_the_request_and_its_addressees():
    task = only("Chủ tịch UBND tỉnh yêu cầu, Sở Tài chính khẩn trương xây dựng kế hoạch chi tiết.")
    assert task.lead_unit == "STC" and task.title.startswith("Khẩn trương xây dựng")
    assert only("Chủ tịch UBND tỉnh yêu cầu, các chủ đầu tư khẩn trương lập kế hoạch.").collective == "các chủ đầu tư"
    task = only("UBND tỉnh yêu cầu, khi đoàn kiểm tra liên ngành có đề nghị thì UBND các huyện, cơ quan có liên quan "
                "cử cán bộ phối hợp.")
    assert task.collective == "UBND các huyện, cơ quan có liên quan" and task.title.startswith("Cử cán bộ")


# --- nineteenth fresh batch (documents 423-437) -------------------------------------------------------------------

@pytest.mark.parametrize("text, collective", [
    ("Sở NN&PTNT yêu cầu chính quyền cơ sở tập trung tuyên truyền, vận động nhân dân phòng, chống dịch.",
     "chính quyền cơ sở"),
    ("Đề nghị chính quyền địa phương các cấp khẩn trương rà soát các hộ dân.", "chính quyền địa phương các cấp"),
    ("UBND tỉnh yêu cầu chính quyền các cấp tăng cường kiểm tra.", "chính quyền các cấp"),
    ("Chủ tịch UBND tỉnh yêu cầu chính quyền cấp xã lập danh sách hộ nghèo.", "chính quyền cấp xã"),
])
def test_local_authorities_unnamed_are_a_collective(text, collective):
    task = only(text)
    assert task.lead_unit is None and task.collective == collective


def test_the_two_level_model_of_local_government_is_no_addressee():
    task = only("Giao Sở Nội vụ hướng dẫn thực hiện mô hình chính quyền địa phương 2 cấp.")
    assert task.lead_unit == "SNV" and task.collective is None


@pytest.mark.parametrize("text", [
    "Giao Sở Tài chính phối hợp với các Sở, ngành liên quan tham mưu UBND tỉnh trình HĐND tỉnh phê duyệt danh mục.",
    "Sở Tài chính chịu trách nhiệm phối hợp với các Sở, Ban, ngành, UBND các huyện, thành phố và các đơn vị có liên "
    "quan tham mưu UBND tỉnh trình HĐND tỉnh phê duyệt danh mục dự án.",
    "Giao Sở Tài chính chủ trì, phối hợp các cơ quan liên quan tham mưu Chủ tịch UBND tỉnh xử lý dứt điểm.",
    "Giao Sở Tài chính phối hợp các đơn vị liên quan tham mưu cho UBND tỉnh bố trí vốn.",
])
def test_the_committee_advised_after_a_cooperating_group_does_not_cooperate(text):
    task = only(text)
    assert task.lead_unit == "STC" and task.cooperating_units == []
    assert task.cooperating_collective and "tham mưu" not in task.cooperating_collective[0]


@pytest.mark.parametrize("text", [
    "Giao Sở Tài chính báo cáo kết quả thực hiện Nghị quyết về chuyển đổi số tỉnh Lạng Sơn đến năm 2025, định hướng "
    "đến năm 2030.",
    "Giao Sở Xây dựng rà soát quy hoạch vùng Hòa Bình đến năm 2025 và tầm nhìn đến năm 2035.",
    "Giao Sở Tài chính rà soát lại các nhiệm vụ có thời hạn hoàn thành trong năm 2025.",
    "Giao Sở Xây dựng kiểm tra các dự án có thời hạn thực hiện đến hết năm 2024.",
])
def test_a_titles_first_year_or_the_objects_due_date_is_no_deadline(text):
    assert only(text).deadline is None


def test_the_works_own_deadline_still_counts_beside_the_objects():
    task = only("Giao Sở Xây dựng rà soát các dự án có thời hạn thực hiện đến hết năm 2024, báo cáo trước ngày 30/6/2024.")
    assert task.deadline == date(2024, 6, 30)
    assert only("Giao Sở Xây dựng hoàn thành việc số hóa hồ sơ đến năm 2025.").deadline == date(2025, 12, 31)


@pytest.mark.parametrize("text", [
    "Sở Tài chính chủ trì, phối hợp với các cơ quan liên quan rà soát lại các nhiệm vụ UBND tỉnh đã giao cho các cơ "
    "quan, đơn vị; báo cáo UBND tỉnh về tiến độ.",
    "Giao Sở Tài chính đôn đốc thực hiện các nội dung Chủ tịch UBND tỉnh đã chỉ đạo.",
    "Sở Tài chính tổng hợp những công việc đã giao cho các huyện, báo cáo trước ngày 30/6/2020.",
])
def test_work_on_what_was_assigned_before_is_an_instruction_not_a_report(text):
    assert only(text).lead_unit == "STC"


def test_a_report_of_what_was_assigned_stays_a_report():
    assert run("UBND tỉnh đã giao Sở Tài chính rà soát các dự án. Đến nay, Sở đã hoàn thành 80% khối lượng.") == []


@pytest.mark.parametrize("text, lead", [
    ("Sở Kế hoạch và Đầu tư làm đầu mối tiếp nhận thông tin, hướng dẫn, hỗ trợ các nhà đầu tư.", "SKHDT"),
    ("Sở Tài chính là đầu mối tổng hợp, báo cáo UBND tỉnh.", "STC"),
    ("Sở Nội vụ là cơ quan thường trực, tổng hợp kết quả thực hiện.", "SNV"),
    ("Công an tỉnh là lực lượng nòng cốt, chủ trì tuần tra.", "CAT"),
])
def test_a_units_role_then_its_work_is_its_task(text, lead):
    assert only(text).lead_unit == lead


def test_a_units_role_alone_is_no_task():
    assert run("Sở Tài chính là cơ quan đầu mối của tỉnh về lĩnh vực này.") == []


@pytest.mark.parametrize("passive", [
    "Các quy định chồng chéo sẽ được sửa đổi, bổ sung cho phù hợp.",
    "Các thủ tục hành chính cần được cắt giảm, đơn giản hóa.",
    "Các chế độ báo cáo sẽ được giảm thiểu nếu đã có dữ liệu số thay thế.",
    "Các văn bản không còn phù hợp phải được bãi bỏ.",
])
def test_a_passive_instruction_after_an_assignment_is_a_task_with_no_actor(passive):
    tasks = run("UBND tỉnh yêu cầu các sở, ngành rà soát quy trình nội bộ. Sở Tài chính được giao hoàn thiện hệ thống. "
                + passive)
    assert len(tasks) == 3
    assert tasks[2].title.startswith("Các ") and tasks[2].lead_unit is None and tasks[2].collective is None


def test_a_passive_forecast_after_an_assignment_is_no_task():
    tasks = run("Giao Sở Tài chính bố trí kinh phí. Dự án sẽ được khởi công vào tháng 5.")
    assert [t.lead_unit for t in tasks] == ["STC"]


@pytest.mark.parametrize("text, collective", [
    ("Các cơ sở giáo dục thực hiện nghiêm túc các chính sách hỗ trợ học sinh ngay từ đầu năm học. Đó là một trong "
     "những chỉ đạo của Chủ tịch UBND tỉnh tại Văn bản số 12/UBND-VX ngày 7/8/2024.", "Các cơ sở giáo dục"),
    ("Các trường học tổ chức kiểm tra an toàn phòng cháy trước ngày khai giảng. Đây là yêu cầu của Chủ tịch UBND tỉnh.",
     "Các trường học"),
    ("Các sở, ngành thực hiện nghiêm túc chế độ báo cáo. Đó là chỉ đạo của Chủ tịch UBND tỉnh tại Văn bản số 12.",
     "Các sở, ngành"),
    ("Bảo đảm quyền lợi của học sinh trong năm học mới\nCác cơ sở giáo dục thực hiện nghiêm túc các chính sách hỗ trợ "
     "học sinh. Đó là một trong những chỉ đạo của Chủ tịch UBND tỉnh.", "Các cơ sở giáo dục"),
])
def test_an_instruction_told_as_the_addressees_work_and_named_next_is_a_task(text, collective):
    task = only(text)
    assert task.lead_unit is None and task.collective == collective


def test_the_publics_conduct_named_as_an_instruction_is_no_task():
    assert run("Các hộ dân thực hiện nghiêm túc việc tiêm phòng. Đây là yêu cầu của Chủ tịch UBND tỉnh.") == []
    assert run("Các cơ sở giáo dục đã thực hiện nghiêm túc các chính sách hỗ trợ học sinh.") == []


@pytest.mark.parametrize("text", [
    "Quy trình giải quyết hồ sơ như sau: Sở Tài chính tiếp nhận hồ sơ; Sở Xây dựng thẩm định trong 5 ngày; UBND tỉnh "
    "phê duyệt.",
    "Trình tự thực hiện:\n- Sở Tài chính tiếp nhận hồ sơ.\n- Sở Xây dựng thẩm định trong 5 ngày.",
    "Các bước thực hiện gồm: Sở Nội vụ tiếp nhận đề nghị, Sở Tài chính thẩm định kinh phí.",
])
def test_the_steps_of_a_procedure_described_are_no_tasks(text):
    assert run(text) == []


def test_an_explicit_assignment_after_a_procedures_steps_is_a_task():
    tasks = run("Trình tự thực hiện:\n- Sở Tài chính tiếp nhận hồ sơ.\n- Sở Xây dựng thẩm định trong 5 ngày.\n"
                "Giao Sở Nội vụ hướng dẫn các địa phương thực hiện.")
    assert [t.lead_unit for t in tasks] == ["SNV"]
    tasks = run("Quy trình như sau: Sở Tài chính tiếp nhận hồ sơ. Yêu cầu Sở Xây dựng rút ngắn thời gian thẩm định.")
    assert [t.lead_unit for t in tasks] == ["SXD"]


@pytest.mark.parametrize("text", [
    "Đề nghị UBND các huyện tiếp tục cho học sinh nghỉ học đến ngày 10/10/2020.",
    "Giao Sở Tài chính tạm dừng thu phí đến hết ngày 31/12/2020.",
    "Yêu cầu UBND các huyện tạm đình chỉ hoạt động các cơ sở vi phạm đến ngày 15/6/2020.",
    "Giao Sở Xây dựng áp dụng đơn giá cũ đến hết năm 2020.",
])
def test_the_end_of_a_state_is_no_deadline(text):
    assert only(text).deadline is None


def test_a_deadline_beside_a_state_still_counts():
    assert only("Giao Sở Tài chính tạm dừng thu phí, báo cáo trước ngày 30/6/2020.").deadline == date(2020, 6, 30)
    assert only("Giao Sở Tài chính hoàn thành việc thu phí đến ngày 31/12/2020.").deadline == date(2020, 12, 31)


# --- twentieth fresh batch (documents 438-451) ---------------------------------------------------------------------


@pytest.mark.parametrize("text, lead", [
    ("Giao đồng chí Nguyễn Văn An, Giám đốc Sở Tài chính chủ trì rà soát nguồn vốn.", "STC"),
    ("Giao ông Nguyễn Văn An - Giám đốc Sở Tài chính chủ trì rà soát nguồn vốn.", "STC"),
    ("Giao đ/c Trần Thị Bình, Phó Giám đốc Sở Xây dựng theo dõi, đôn đốc tiến độ dự án.", "SXD"),
    ("Chủ tịch UBND tỉnh yêu cầu bà Lê Thị Hoa, Giám đốc Sở Nội vụ khẩn trương hoàn thiện đề án.", "SNV"),
    ("Giao đồng chí Phạm Văn Cường, Sở Xây dựng kiểm tra hồ sơ dự án.", "SXD"),
])
def test_a_person_named_before_the_title_and_unit_is_read_past(text, lead):
    task = only(text)
    assert task.lead_unit == lead and task.unknown_units == []


@pytest.mark.parametrize("text", [
    "Bộ trưởng chỉ đạo Thứ trưởng Nguyễn Huy Dũng xây dựng một trung tâm chuyển đổi số mẫu.",
    "Giao đồng chí Nguyễn Văn An chủ trì rà soát quy hoạch.",
])
def test_a_person_addressed_without_a_unit_is_a_task_without_a_lead(text):
    task = only(text)
    assert task.lead_unit is None and task.collective is None and task.unknown_units


def test_a_person_named_as_the_speaker_is_no_addressee():
    task = only("Tại buổi làm việc, Chủ tịch UBND tỉnh Nguyễn Văn Bình yêu cầu Sở Xây dựng hoàn thành hồ sơ.")
    assert task.lead_unit == "SXD" and task.title.startswith("Hoàn thành hồ sơ")


@pytest.mark.parametrize("text, collective", [
    ("Bộ Thông tin và Truyền thông đề nghị Quý Cơ quan triển khai ngay các nhiệm vụ được giao.", "Quý Cơ quan"),
    ("Trân trọng đề nghị Quý Cơ quan giao đơn vị chuyên trách là đầu mối hướng dẫn thực hiện chuyển đổi số.",
     "Quý Cơ quan"),
    ("Bộ Y tế đề nghị Quý Ủy ban chỉ đạo các đơn vị liên quan tổ chức tiêm chủng an toàn.", "Quý Ủy ban"),
    ("Văn phòng Chính phủ đề nghị Quý đơn vị báo cáo kết quả trước ngày 15/6/2020.", "Quý đơn vị"),
    ("Đề nghị Quý địa phương khẩn trương rà soát, cập nhật danh sách.", "Quý địa phương"),
])
def test_a_letters_polite_addressee_is_a_collective(text, collective):
    task = only(text)
    assert task.lead_unit is None and task.collective == collective


def test_a_fund_is_no_polite_addressee():
    task = only("Giao Sở Tài chính trích quỹ cơ quan hỗ trợ các hộ dân.")
    assert task.lead_unit == "STC" and task.collective is None and task.cooperating_collective == []


@pytest.mark.parametrize("text", [
    "Yêu cầu UBND các xã báo cáo kết quả kiểm tra, xử lý vi phạm từ ngày 1/1/2018 đến trước ngày 1/12/2018.",
    "Giao Sở Tài chính báo cáo tình hình giải ngân từ ngày 1/1/2020 đến ngày 30/6/2020.",
    "Đề nghị UBND các huyện tổng hợp, báo cáo số liệu từ tháng 1/2020 đến hết tháng 6/2020.",
])
def test_the_period_a_report_covers_is_no_deadline(text):
    task = only(text)
    assert task.deadline is None and not task.ongoing


def test_a_due_date_beside_a_reported_period_still_counts():
    task = only("Giao Sở Tài chính báo cáo tình hình giải ngân từ ngày 1/1/2020 đến ngày 30/6/2020 trước ngày 10/7/2020.")
    assert task.deadline == date(2020, 7, 10)
    task = only("Giao Sở Xây dựng kiểm tra các công trình từ đầu tháng 6/2020 tới ngày 15/7/2020.")
    assert task.deadline == date(2020, 7, 15)  # a work period alone: its end is the deadline


@pytest.mark.parametrize("text", [
    "Giao Sở Tài chính hướng dẫn UBND các huyện bố trí nguồn vốn sự nghiệp giao thông hàng năm để bảo trì đường.",
    "Yêu cầu UBND các huyện cân đối kinh phí hằng năm cho công tác quản lý đường huyện.",
])
def test_funds_counted_per_year_are_no_recurrence(text):
    task = only(text)
    assert not task.ongoing and task.recurrence is None


def test_a_yearly_report_still_recurs():
    task = only("Giao Sở Tài chính báo cáo kết quả bố trí kinh phí cho UBND tỉnh hằng năm.")
    assert task.ongoing and task.recurrence == {"every": "year", "day": None}


@pytest.mark.parametrize("text", [
    "Bộ Giao thông vận tải vừa có văn bản trả lời kiến nghị của cử tri tỉnh Khánh Hòa về việc đầu tư tuyến đường.",
    "Tổng cục Đường bộ Việt Nam vừa có văn bản gửi UBND tỉnh về việc sửa chữa cầu.",
    "Cục Quản lý thị trường cũng có văn bản trả lời doanh nghiệp về việc kiểm tra hàng hóa.",
])
def test_the_news_of_a_letter_by_a_body_outside_the_registry_is_no_task(text):
    assert run(text) == []


def test_a_letter_announced_by_a_body_outside_the_registry_still_assigns_its_addressees():
    task = only("Bộ Y tế vừa có công văn yêu cầu các bệnh viện tăng cường phòng, chống dịch.")
    assert task.lead_unit is None and task.collective == "các bệnh viện"


@pytest.mark.parametrize("text", [
    "UBND TPHCM đề nghị Bộ Y tế hỗ trợ, chỉ đạo Chương trình tiêm chủng Quốc gia phân bổ vaccine cho thành phố.",
    "UBND tỉnh Quảng Nam đề nghị Bộ Tài chính bổ sung kinh phí cho tỉnh.",
    "Chủ tịch UBND tỉnh vừa ký văn bản đề nghị Bộ Giao thông vận tải sớm bố trí vốn sửa chữa quốc lộ 1.",
])
def test_the_province_asking_a_ministry_is_a_request_upward(text):
    assert run(text) == []


@pytest.mark.parametrize("text", [
    "Chủ tịch UBND tỉnh đề nghị Bộ Chỉ huy Quân sự tỉnh chủ động phương án ứng phó.",
    "UBND tỉnh đề nghị Bộ đội Biên phòng tỉnh tăng cường tuần tra.",
    "Thủ tướng đề nghị Bộ Y tế khẩn trương phân bổ vắc xin.",
])
def test_a_ministry_asked_by_the_government_or_the_provinces_own_forces_asked_keep_their_task(text):
    assert len(run(text)) == 1


def test_a_ministry_asked_after_an_assignment_keeps_the_sets_reading():
    tasks = run("UBND tỉnh giao Sở Tài chính rà soát nguồn vốn; đồng thời đề nghị Bộ Giao thông vận tải xem xét bố trí "
                "vốn sửa chữa quốc lộ.")
    assert [t.lead_unit for t in tasks] == ["STC", None]


@pytest.mark.parametrize("text", [
    "Giao Sở Kế hoạch và Đầu tư xây dựng bộ tài liệu xúc tiến đầu tư; cung cấp cho Cổng thông tin điện tử của tỉnh, "
    "Trang thông tin điện tử của các sở, ngành để đăng tải.",
    "Yêu cầu Sở Xây dựng lập danh mục các dự án chậm tiến độ; chuyển cho các cơ quan báo chí để đưa tin.",
    "Giao Sở Tài chính tổng hợp số liệu giải ngân; gửi đến các thành viên Tổ công tác để theo dõi.",
])
def test_the_work_handed_on_to_be_published_or_used_is_part_of_it(text):
    assert len(run(text)) == 1


def test_a_second_deliverable_for_someone_is_still_a_task():
    tasks = run("Giao Sở Xây dựng lập danh mục các dự án chậm tiến độ; cung cấp cho các doanh nghiệp thông tin quy hoạch "
                "chi tiết.")
    assert len(tasks) == 2


def test_a_digests_second_item_repeating_a_request_in_fewer_words_leaves_the_first():
    text = ("Xây dựng kế hoạch sử dụng đất bàn giao về địa phương\n\n"
            "Phó Thủ tướng yêu cầu UBND các tỉnh, thành phố xây dựng kế hoạch sử dụng diện tích đất các công ty nông, "
            "lâm nghiệp bàn giao về địa phương quản lý, xử lý dứt điểm tình trạng tranh chấp.\n\n"
            "Xử lý dứt điểm tranh chấp đất đai tại các công ty nông, lâm nghiệp\n\n"
            "Phó Thủ tướng yêu cầu UBND các tỉnh, thành phố xử lý dứt điểm tình trạng tranh chấp đất đai tại các "
            "công ty nông, lâm nghiệp.")
    task = only(text)
    assert task.title.startswith("Xây dựng kế hoạch sử dụng diện tích đất")


def test_a_news_lead_told_again_in_full_in_the_body_still_leaves_the_body():
    text = ("Phó Thủ tướng yêu cầu UBND các tỉnh, thành phố xử lý dứt điểm tranh chấp đất đai.\n\n"
            "Tranh chấp đất đai kéo dài\n\n"
            "Tại văn bản, Phó Thủ tướng yêu cầu UBND các tỉnh, thành phố xử lý dứt điểm tình trạng tranh chấp đất đai "
            "tại các công ty nông, lâm nghiệp, báo cáo kết quả về Bộ Nông nghiệp.")
    task = only(text)
    assert task.title.startswith("Xử lý dứt điểm tình trạng tranh chấp đất đai tại các công ty")


@pytest.mark.parametrize("text, title", [
    ("Chủ tịch UBND tỉnh yêu cầu trong thời gian tới phải đẩy nhanh tiến độ giải phóng mặt bằng.", "Đẩy nhanh"),
    ("Chủ tịch UBND tỉnh yêu cầu thời gian tới cần tập trung tháo gỡ vướng mắc cho doanh nghiệp.", "Tập trung"),
    ("Phó Chủ tịch đề nghị trước mắt khẩn trương khắc phục sự cố sạt lở.", "Khẩn trương"),
])
def test_an_instruction_naming_no_one_after_the_coming_period_is_a_task(text, title):
    task = only(text)
    assert task.lead_unit is None and task.collective is None and task.title.startswith(title)


@pytest.mark.parametrize("text, unknown", [
    ("Chủ tịch UBND tỉnh yêu cầu UBND huyện Phú Lộc khẩn trương kiểm tra các hộ dân.", "UBND huyện Phú Lộc"),
    ("Giao Ủy ban nhân dân xã Tân Hòa rà soát các hộ nghèo.", "Ủy ban nhân dân xã Tân Hòa"),
    ("Đề nghị UBND thị xã Hương Trà chủ động di dời các hộ dân.", "UBND thị xã Hương Trà"),
])
def test_a_local_committee_the_registry_does_not_hold_is_still_addressed(text, unknown):
    task = only(text)
    assert task.lead_unit is None and task.unknown_units == [unknown]


def test_a_request_the_task_before_makes_in_a_case_is_part_of_it():
    task = only("Giao Sở Xây dựng rà soát các vi phạm; những vấn đề thuộc thẩm quyền của cấp huyện thì có văn bản đề "
                "nghị UBND huyện Phú Lộc xử lý.")
    assert task.lead_unit == "SXD"


@pytest.mark.parametrize("text, collective", [
    ("Chủ tịch UBND tỉnh yêu cầu cơ quan chức năng khẩn trương điều tra, làm rõ vụ việc.", "cơ quan chức năng"),
    ("Chủ tịch UBND tỉnh yêu cầu đơn vị liên quan kiểm tra, làm rõ vụ việc.", "đơn vị liên quan"),
    ("Chủ tịch UBND tỉnh giao cơ quan công an điều tra, làm rõ vụ việc.", "cơ quan công an"),
    ("Đề nghị cơ quan chuyên môn thẩm định hồ sơ trước ngày 30/6/2020.", "cơ quan chuyên môn"),
])
def test_unnamed_bodies_by_their_role_without_cac_are_a_collective(text, collective):
    task = only(text)
    assert task.lead_unit is None and task.collective == collective


def test_a_unit_cooperating_with_unnamed_bodies_keeps_the_lead():
    task = only("Giao Sở Xây dựng chủ trì, phối hợp với đơn vị liên quan kiểm tra chất lượng công trình.")
    assert task.lead_unit == "SXD" and task.cooperating_collective == ["đơn vị liên quan"]


# --- twenty-first fresh batch (documents 452-466) ------------------------------------------------------------------

@pytest.mark.parametrize("text, leads", [
    ("UBND tỉnh yêu cầu các cơ quan, đơn vị thực hiện một số nội dung sau:\n\nĐối với Công an tỉnh: Tiếp tục thực hiện "
     "tốt cải cách hành chính; tăng cường công tác tuyên truyền pháp luật.\n\nTăng cường công tác quản lý cư trú.",
     ["CAT", "CAT", "CAT"]),
    ("Đối với Sở Xây dựng: Khẩn trương kiểm tra chất lượng các công trình.", ["SXD"]),
    ("UBND tỉnh giao nhiệm vụ như sau:\n- Đối với Sở Tài chính: Rà soát nguồn vốn đầu tư công của các dự án.\n- Riêng "
     "đối với Sở Nội vụ: Thẩm định đề án vị trí việc làm của các đơn vị.", ["STC", "SNV"]),
    ("Chủ tịch UBND tỉnh yêu cầu các cơ quan, đơn vị thực hiện các nội dung sau:\n1. Đối với Sở Tài chính:\n- Rà soát "
     "nguồn vốn đầu tư công của các dự án chậm tiến độ.\n2. Đối với Sở Xây dựng:\n- Kiểm tra chất lượng các công trình "
     "xây dựng trên địa bàn tỉnh.", ["STC", "SXD"]),
])
def test_a_units_heading_opened_by_doi_voi_leads_its_items(text, leads):
    tasks = run(text)
    assert [t.lead_unit for t in tasks] == leads
    assert all(t.collective is None for t in tasks)


def test_a_topic_before_a_comma_still_leaves_the_unit_after_it():
    assert only("Đối với các dự án chậm tiến độ, Sở Xây dựng kiểm tra các công trình.").lead_unit == "SXD"
    assert only("Đối với Sở Xây dựng, khẩn trương kiểm tra các công trình.").lead_unit == "SXD"


@pytest.mark.parametrize("text, collective, lead", [
    ("Ủy ban nhân dân tỉnh giao:\n\n1. Đối với các nhiệm vụ, giải pháp trọng tâm trong thời gian tới: Các sở, ban, ngành, "
     "UBND các huyện căn cứ chức năng, nhiệm vụ, địa bàn được phân công, tham mưu UBND tỉnh thực hiện tốt các nhiệm vụ.",
     "Các sở, ban, ngành, UBND các huyện", None),
    ("Đối với dự án cầu Cửa Hội, cầu Bến Thủy: Sở Xây dựng khẩn trương hoàn thiện hồ sơ.", None, "SXD"),
    ("Đối với công tác giải ngân: đề nghị các chủ đầu tư đẩy nhanh tiến độ.", "các chủ đầu tư", None),
])
def test_a_matter_put_first_before_a_colon_is_read_past(text, collective, lead):
    task = only(text)
    assert task.collective == collective and task.lead_unit == lead


@pytest.mark.parametrize("text, collective", [
    ("Các sở, ngành theo chức năng, nhiệm vụ, địa bàn quản lý, khẩn trương rà soát các dự án.", "Các sở, ngành"),
    ("UBND các huyện theo chức năng, nhiệm vụ, địa bàn được phân công chủ động kiểm tra các công trình.",
     "UBND các huyện"),
])
def test_a_group_qualified_by_its_functions_and_area_is_the_subject(text, collective):
    assert only(text).collective == collective


@pytest.mark.parametrize("text", [
    "Giao Sở Xây dựng tiếp tục quan trắc, theo dõi diễn biến sạt lở; kịp thời cảnh báo và báo cáo, đề xuất UBND tỉnh "
    "khi có tình huống xảy ra.",
    "Giao Sở Xây dựng kiểm tra các công trình; kịp thời thông tin, báo cáo UBND tỉnh khi phát hiện sai phạm.",
    "Giao Sở Xây dựng kiểm tra các công trình; thông báo và báo cáo kết quả về UBND tỉnh.",
])
def test_an_alert_and_report_back_after_a_semicolon_is_part_of_the_task(text):
    assert only(text).lead_unit == "SXD"


def test_a_report_with_a_proposal_of_its_own_is_still_a_task():
    assert len(run("Giao Sở Xây dựng kiểm tra các công trình; báo cáo, đề xuất UBND tỉnh xử lý các trường hợp vi "
                   "phạm.")) == 2


@pytest.mark.parametrize("text, lead", [
    ("Sở Nội vụ làm chủ nhiệm đề án, phối hợp các sở, ngành chuyên môn tổ chức nghiên cứu, xây dựng các đề án nhánh.",
     "SNV"),
    ("Sở Xây dựng làm chủ đầu tư, khẩn trương lập hồ sơ dự án.", "SXD"),
    ("Sở Tài chính là cơ quan chủ trì, phối hợp với các sở, ban xây dựng phương án.", "STC"),
    ("Sở Xây dựng là cơ quan chủ trì thực hiện, phối hợp với Sở Tài chính xây dựng phương án.", "SXD"),
])
def test_a_units_role_as_head_of_the_work_then_the_work_is_its_task(text, lead):
    assert only(text).lead_unit == lead


@pytest.mark.parametrize("text", [
    "Sở Nội vụ là chủ nhiệm đề án.",
    "Sở Xây dựng làm chủ đầu tư dự án.",
    "Sở Tài chính là cơ quan chủ trì của chương trình.",
])
def test_a_units_role_as_head_alone_is_no_task(text):
    assert run(text) == []


def test_the_parts_listed_after_a_units_role_and_work_belong_to_its_task():
    task = only("Sở Nội vụ làm chủ nhiệm đề án, phối hợp các sở, ngành chuyên môn xây dựng các đề án nhánh, bao gồm: "
                "Kinh tế đô thị do Sở Xây dựng chủ trì, Quản lý nhà nước do Sở Nội vụ chủ trì. Yêu cầu các đề án nhánh "
                "hoàn thành trong quý 3/2021.")
    assert task.lead_unit == "SNV" and task.deadline == date(2021, 9, 30)


def test_a_council_and_a_committee_sharing_their_place_are_two_addressees():
    units = [*UNITS, UnitRef("HDND_QN", "Hội đồng nhân dân tỉnh Quảng Ninh", "HĐND tỉnh Quảng Ninh", kind="agency"),
             UnitRef("UBND_QN", "Ủy ban nhân dân tỉnh Quảng Ninh", "UBND tỉnh Quảng Ninh", kind="agency")]
    tasks = extract("Thủ tướng yêu cầu HĐND, UBND tỉnh Quảng Ninh thực hiện đúng quy trình, thủ tục bầu chức vụ Phó "
                    "chủ tịch UBND tỉnh theo quy định của pháp luật.", units, issued_on=ISSUED)
    assert [(t.lead_unit, t.cooperating_units) for t in tasks] == [("HDND_QN", ["UBND_QN"])]
    task = only("Thủ tướng yêu cầu HĐND, UBND tỉnh thực hiện đúng quy trình bầu chức vụ Phó chủ tịch.")
    assert task.unknown_units == ["HĐND tỉnh"] and task.cooperating_units == ["UBND"]


@pytest.mark.parametrize("text", [
    "Theo Bí thư Tỉnh ủy, việc này khó có thể chấp nhận được. Vì thế, UBND tỉnh Đồng Nai phải sớm chỉ đạo làm rõ "
    "trách nhiệm các tập thể, cá nhân liên quan.",
    "Vì thế, UBND tỉnh phải sớm chỉ đạo làm rõ trách nhiệm các tập thể, cá nhân liên quan.",
    "Do đó, UBND tỉnh cần khẩn trương rà soát các dự án chậm tiến độ.",
])
def test_the_committee_told_what_it_must_do_is_its_task(text):
    assert only(text).lead_unit == "UBND"


@pytest.mark.parametrize("text", [
    "UBND tỉnh đã chỉ đạo các sở, ngành rà soát các dự án.",
    "UBND tỉnh cần có cơ chế đặc thù cho doanh nghiệp.",
    "Tại hội nghị, UBND tỉnh và các sở, ngành phải giải trình các nội dung cử tri quan tâm.",
])
def test_the_committee_as_speaker_reporter_or_one_of_several_gives_no_such_task(text):
    assert all(t.lead_unit != "UBND" for t in run(text))


def test_the_committee_told_what_it_must_do_before_a_request_opens_the_assignments():
    tasks = run("Theo Bí thư Tỉnh ủy, việc này khó có thể chấp nhận được. Vì thế, UBND tỉnh phải sớm chỉ đạo làm rõ "
                "trách nhiệm các tập thể, cá nhân liên quan.\n\nBí thư Tỉnh ủy cũng đề nghị các sở, ngành liên quan rà "
                "soát, tăng cường quản lý đất công trên địa bàn.")
    assert [(t.lead_unit, t.collective) for t in tasks] == [("UBND", None), (None, "các sở, ngành liên quan")]


@pytest.mark.parametrize("text", [
    "Chủ tịch UBND tỉnh, Yêu cầu Giám đốc Sở Tài chính triển khai tổ chức Tổng điều tra dân số năm 2019.\nUBND tỉnh "
    "nhận được Quyết định số 772/QĐ-TTg ngày 26/6/2018 của Thủ tướng Chính phủ. Sau khi xem xét, Chủ tịch UBND tỉnh có "
    "ý kiến chỉ đạo như sau:\nGiao Sở Tài chính tham mưu UBND tỉnh thực hiện các nội dung tại Quyết định. Yêu cầu hoàn "
    "thiện gửi Văn phòng UBND tỉnh trước ngày 20/7/2018.",
    "UBND tỉnh chỉ đạo yêu cầu Giám đốc Sở Xây dựng triển khai bổ sung một số nội dung dự án nghĩa địa.\nUBND tỉnh nhận "
    "được Tờ trình số 992/TTr-SXD ngày 28/6/2018. Sau khi xem xét, Chủ tịch UBND tỉnh có ý kiến:\nSở Xây dựng khẩn "
    "trương hoàn thiện hồ sơ điều chỉnh, bổ sung dự án theo quy định.",
])
def test_an_office_letters_title_line_above_its_opinion_is_no_second_task(text):
    task = only(text)
    assert task.start > text.index("\n") and task.lead_unit in ("STC", "SXD")


def test_an_assignment_before_the_marker_on_its_line_still_counts():
    tasks = run("UBND tỉnh chỉ đạo các sở, ngành tăng cường kiểm tra; nội dung văn bản chỉ đạo như sau: Sở Xây dựng "
                "khẩn trương rà soát các công trình.")
    assert [t.collective for t in tasks][:1] == ["các sở, ngành"]


def test_the_items_after_a_goal_joined_to_the_item_before_are_still_tasks():
    tasks = run("Phó Chủ tịch UBND tỉnh chỉ đạo các sở, ngành tăng cường công tác bình ổn thị trường; đảm bảo vệ sinh, an "
                "toàn thực phẩm; trang trí đường phố, tạo cảnh quan sạch, đẹp…")
    assert len(tasks) == 2 and tasks[1].title.lower().startswith(("trang trí", "tăng cường trang trí"))
    assert all(t.collective == "các sở, ngành" for t in tasks)
    assert len(run("Giao Sở Xây dựng tổ chức kiểm tra các công trình; bảo đảm an toàn, tiết kiệm.")) == 1


@pytest.mark.parametrize("text", [
    "Bộ Y tế đề nghị Sở Y tế Vĩnh Phúc và Sơn La chỉ đạo các bên liên quan khẩn trương tổ chức điều tra.",
    "Thủ tướng yêu cầu Sở Y tế Vĩnh Phúc, Sơn La khẩn trương tổ chức điều tra.",
])
def test_a_second_place_after_a_units_names_the_same_kind_of_unit(text):
    units = [*UNITS, UnitRef("SYT_VP", "Sở Y tế tỉnh Vĩnh Phúc", "Sở Y tế Vĩnh Phúc"),
             UnitRef("SYT_SL", "Sở Y tế tỉnh Sơn La", "Sở Y tế Sơn La")]
    task, = extract(text, units, issued_on=ISSUED)
    assert task.lead_unit == "SYT_VP" and task.cooperating_units == ["SYT_SL"]


def test_a_capitalised_word_after_a_unit_that_names_no_unit_is_left_alone():
    task = only("Giao Sở Tài chính và Công an tỉnh rà soát hồ sơ.")
    assert task.lead_unit == "STC" and task.cooperating_units == ["CAT"]
