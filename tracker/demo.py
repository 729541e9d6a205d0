"""The demo data of `make run` (`flask init-db --demo`): today's province, with its history.

Built from ../shared/seeds/conclusion-stttt-2020-05-29.txt: a Vice-Chair's
working session with the Department of Information and Communications
(Sở TT&TT) and the conclusion notice of 29 May 2020. The province then
changed as provinces did in 2025: Sở TT&TT merged into the Department of
Science and Technology (Sở KH&CN) on 1 March 2025, which took over the
notice's open tasks, its people and its divisions; on 1 July 2025 the
districts were dissolved and communes and wards took over their work. The
story of each task then goes on around today, with Sở KH&CN.
Every part of the model grows its demo data here, in one place.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from tracker.database import db
from tracker.models import Unit, User
from tracker.services import notices, workflow
from tracker.services.units import add_unit, dissolve_unit, merge_units
from tracker.services.users import add_user
from tracker.timeutil import today as local_today

DEMO_PASSWORD = "tracker-demo"

# code, name, short name, kind, parent code, aliases
UNITS = [
    ("UBND", "Ủy ban nhân dân tỉnh", "UBND tỉnh", "province", None, ["UBND tỉnh", "Ủy ban nhân dân tỉnh"]),
    ("STTTT", "Sở Thông tin và Truyền thông", "Sở TT&TT", "department", "UBND",
     ["Sở TTTT", "Sở Thông tin - Truyền thông", "STTTT"]),
    ("STTTT-VP", "Văn phòng Sở Thông tin và Truyền thông", "Văn phòng Sở", "division", "STTTT", []),
    ("STTTT-BCXB", "Phòng Thông tin - Báo chí - Xuất bản", "Phòng TTBCXB", "division", "STTTT", []),
    ("STTTT-CNTT", "Phòng Công nghệ thông tin", "Phòng CNTT", "division", "STTTT", []),
    ("STTTT-BCVT", "Phòng Bưu chính - Viễn thông", "Phòng BCVT", "division", "STTTT", []),
    ("SNV", "Sở Nội vụ", "Sở Nội vụ", "department", "UBND", []),
    ("STC", "Sở Tài chính", "Sở Tài chính", "department", "UBND", []),
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", "department", "UBND", ["Sở KHĐT"]),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở VHTT&DL", "department", "UBND", ["Sở VHTTDL"]),
    ("DPTTH", "Đài Phát thanh và Truyền hình tỉnh", "Đài PT-TH tỉnh", "agency", "UBND",
     ["Đài Phát thanh - Truyền hình tỉnh", "Đài PTTH"]),
    ("H-PHULOC", "Ủy ban nhân dân huyện Phú Lộc", "UBND huyện Phú Lộc", "district", "UBND", ["huyện Phú Lộc"]),
    ("TX-HUONGTRA", "Ủy ban nhân dân thị xã Hương Trà", "UBND thị xã Hương Trà", "district", "UBND",
     ["thị xã Hương Trà"]),
]

# Sở TT&TT's successor, and the communes and wards in place of the districts from 1 July 2025:
# code, name, short name, kind, aliases.
SUCCESSORS = [
    ("SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN", "department", ["Sở KHCN"]),

    ("X-PHULOC", "Ủy ban nhân dân xã Phú Lộc", "UBND xã Phú Lộc", "commune", ["xã Phú Lộc"]),
    ("P-HUONGTRA", "Ủy ban nhân dân phường Hương Trà", "UBND phường Hương Trà", "commune", ["phường Hương Trà"]),
]

MERGER_ON = date(2025, 3, 1)  # Sở TT&TT into Sở KH&CN
MERGER_DECISION = "25/QĐ-UBND"
COMMUNES_ON = date(2025, 7, 1)  # districts dissolved, communes and wards in their place
COMMUNES_DECISION = "1679/NQ-UBTVQH15"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    unit: str
    role: str
    position_title: str


USERS = [
    DemoUser("admin", "Quản trị hệ thống", "UBND", "admin", "Quản trị hệ thống"),
    DemoUser("nga.tt", "Trần Thị Nga", "UBND", "leader", "Phó Chủ tịch UBND tỉnh"),
    DemoUser("hung.nv", "Nguyễn Văn Hùng", "UBND", "leader", "Chủ tịch UBND tỉnh"),
    DemoUser("thu.lt", "Lê Thị Thu", "UBND", "secretary", "Chuyên viên Văn phòng UBND tỉnh"),
    DemoUser("hai.nv", "Nguyễn Văn Hải", "SKHCN", "leader", "Giám đốc Sở"),
    DemoUser("minh.pq", "Phạm Quang Minh", "SKHCN", "leader", "Phó Giám đốc Sở"),
    DemoUser("hoa.nt", "Nguyễn Thị Hoa", "SKHCN", "secretary", "Chuyên viên Văn phòng Sở"),
    DemoUser("tuan.la", "Lê Anh Tuấn", "STTTT-CNTT", "leader", "Trưởng phòng Công nghệ thông tin"),
    DemoUser("lan.nt", "Nguyễn Thị Lan", "STTTT-CNTT", "staff", "Chuyên viên"),
    DemoUser("quang.dv", "Đỗ Văn Quang", "STTTT-CNTT", "staff", "Chuyên viên"),
    DemoUser("dung.tv", "Trần Văn Dũng", "STTTT-BCXB", "staff", "Chuyên viên"),
    DemoUser("khoa.dm", "Đặng Minh Khoa", "STTTT-BCVT", "staff", "Chuyên viên"),
    DemoUser("binh.lv", "Lê Văn Bình", "SNV", "leader", "Giám đốc Sở Nội vụ"),
    DemoUser("an.pt", "Phan Thị An", "STC", "leader", "Giám đốc Sở Tài chính"),
    DemoUser("son.hx", "Hoàng Xuân Sơn", "DPTTH", "leader", "Giám đốc Đài"),
    DemoUser("phuc.nd", "Nguyễn Đình Phúc", "X-PHULOC", "leader", "Chủ tịch UBND xã"),
]

# Where each user worked in 2020, before the units changed (the changes move them to `DemoUser.unit`).
UNITS_IN_2020 = {"hai.nv": "STTTT", "minh.pq": "STTTT", "hoa.nt": "STTTT", "phuc.nd": "H-PHULOC"}


def load_demo(today=None, directives: bool = True, reorganised: bool = True) -> dict[str, int]:
    """Fill an empty database with the demo data; return what was created (no commit).

    Without `directives` the units and users are those of 2020, before the
    2025 changes (for tests that write their own history on them); with the
    directives, the story runs through the changes to today's province
    (unless not `reorganised`: the same story as if the units never changed,
    for tests of the changes themselves).
    """
    today = today or local_today()
    units: dict[str, Unit] = {}
    for code, name, short, kind, parent, aliases in UNITS:
        units[code] = add_unit(code, name, short_name=short, kind=kind, parent=units.get(parent), aliases=aliases)
    users = {}
    for spec in USERS:
        users[spec.username] = add_user(spec.username, spec.full_name, units[UNITS_IN_2020.get(spec.username, spec.unit)],
                                        spec.role, position_title=spec.position_title, password=DEMO_PASSWORD)
    db.session.flush()
    tasks = load_demo_directives(users, units, today, reorganised) if directives else 0
    return {"units": len(units), "users": len(USERS), "tasks": tasks}


def reorganise(units: dict[str, Unit], today) -> None:
    """The 2025 changes: Sở TT&TT into Sở KH&CN, the districts into communes and wards (those before `today`)."""
    if today < COMMUNES_ON:
        return
    for code, name, short, kind, aliases in SUCCESSORS:
        units[code] = add_unit(code, name, short_name=short, kind=kind, parent=units["UBND"], aliases=aliases,
                               started_on=COMMUNES_ON if kind == "commune" else None)
    merge_units(None, [units["STTTT"]], units["SKHCN"], on=MERGER_ON, decision=MERGER_DECISION, today=today,
                ip="demo")
    dissolve_unit(None, units["H-PHULOC"], units["X-PHULOC"], on=COMMUNES_ON, decision=COMMUNES_DECISION,
                  today=today, ip="demo")
    dissolve_unit(None, units["TX-HUONGTRA"], units["P-HUONGTRA"], on=COMMUNES_ON, decision=COMMUNES_DECISION,
                  today=today, ip="demo")
    # Those changes are history: nobody is told of them today.
    notices.drop(db.session, "unit_change")


# --- the seed's directive and its tasks ------------------------------------------------------

SEED_FILE = "conclusion-stttt-2020-05-29.txt"


def seed_text() -> str:
    """The conclusion notice of ../shared/seeds, or a short stand-in when the file is absent."""
    root = Path(__file__).resolve().parent.parent
    for candidate in (root / "tracker" / "demo_data" / SEED_FILE, root.parent / "shared" / "seeds" / SEED_FILE):
        if candidate.exists():
            return candidate.read_text(encoding="utf-8")
    return ""


# title, cooperating units, assignee, deadline offset from today (None: ongoing), story
SEED_TASKS = [
    ("Hướng dẫn, theo dõi, đôn đốc các cơ quan báo chí, truyền thông triển khai công tác tuyên truyền theo sự "
     "chỉ đạo của Tỉnh ủy, UBND tỉnh, Bộ Thông tin và Truyền thông và định hướng của Ban Tuyên giáo Tỉnh ủy",
     ["DPTTH"], "dung.tv", None, "ongoing"),
    ("Hoàn thiện đề án phát thanh – truyền hình trình UBND tỉnh phê duyệt", ["DPTTH", "STC"], None, -8,
     "overdue_asks_extension"),
    ("Chuẩn bị tốt nội dung, điều kiện tham gia hội thi tuyên truyền biển đảo tại tỉnh Quảng Nam do Bộ Thông tin "
     "và Truyền thông tổ chức", ["SVHTTDL"], "dung.tv", -15, "done_on_time"),
    ("Triển khai kế hoạch ứng dụng IPv6", [], "lan.nt", 5, "due_soon"),
    ("Triển khai Kế hoạch thử nghiệm trục liên thông chia sẻ dữ liệu LGSP tỉnh", ["SNV"], None, -4, "extended"),
    ("Triển khai các giải pháp Chính phủ điện tử, đô thị thông minh", ["SKHDT"], None, 60, "early"),
    ("Tham mưu nội dung phục vụ hoạt động của Ban Chỉ đạo chính quyền điện tử", [], None, None, "ongoing_quiet"),
    ("Rà soát Kế hoạch ứng dụng CNTT trong hoạt động cơ quan nhà nước giai đoạn 2020", [], "quang.dv", 2,
     "submitted"),
    ("Phối hợp các ngành, địa phương xây dựng kế hoạch ứng dụng CNTT giai đoạn 2021-2025",
     ["SKHDT", "STC", "H-PHULOC", "TX-HUONGTRA"], None, -30, "done_late"),
    ("Tăng cường công tác kiểm tra, giám sát việc thực thi nhiệm vụ của cán bộ, công chức, viên chức đơn vị và việc "
     "triển khai các chương trình, đề án do ngành quản lý trên địa bàn tỉnh", [], None, None, "ongoing"),
]


# Cooperating units' duties (nội dung phối hợp) in the seed's tasks, by the task's first words and unit code.
SEED_DUTIES = {
    ("Hoàn thiện đề án phát thanh", "DPTTH"): "Đề xuất nhu cầu trang thiết bị, nhân lực cho đề án",
    ("Hoàn thiện đề án phát thanh", "STC"): "Thẩm định, cân đối kinh phí thực hiện đề án",
    ("Triển khai Kế hoạch thử nghiệm trục liên thông", "SNV"): "Kết nối phần mềm quản lý cán bộ, công chức với trục LGSP",
}


def _duties(title: str, units: list[Unit]) -> dict[int, workflow.PartData]:
    return {u.id: workflow.PartData(duty=duty) for (start, code), duty in SEED_DUTIES.items() for u in units
            if title.startswith(start) and u.code == code}


SEED_ISSUED_ON = date(2020, 5, 29)


def load_demo_directives(users: dict[str, User], units: dict[str, Unit], today, reorganised: bool = True) -> int:
    """Record the seed's conclusion notice of 2020, reorganise the units in 2025, then tell each task's
    living history around `today` with the successors."""
    def day(offset: int):
        return today + timedelta(days=offset)

    secretary, vice_chair, director = users["thu.lt"], users["nga.tt"], users["hai.nv"]
    issued = SEED_ISSUED_ON
    directive = workflow.create_directive(secretary, workflow.DirectiveData(
        number="125/TB-UBND", kind="conclusion", issued_on=issued, issuing_unit=units["UBND"],
        signer="Trần Thị Nga, Phó Chủ tịch UBND tỉnh", on_behalf_of=vice_chair, tracker=secretary,
        title="Kết luận của Phó Chủ tịch UBND tỉnh Trần Thị Nga tại buổi làm việc với Lãnh đạo Sở Thông tin và "
              "Truyền thông về tình hình triển khai các nhiệm vụ trọng tâm năm 2020",
        text=seed_text()))
    tasks = []
    for title, coop, assignee, offset, _story in SEED_TASKS:
        tasks.append(workflow.add_task(secretary, directive, workflow.TaskData(
            title=title, lead_unit=units["STTTT"], cooperating_units=[units[c] for c in coop],
            part_details=_duties(title, [units[c] for c in coop]),
            assignee=users[assignee] if assignee else None, deadline=day(offset) if offset is not None else None,
            priority="high" if offset is not None and offset < 10 else "normal",
            tags=["chuyển đổi số"] if "CNTT" in title or "điện tử" in title or "IPv6" in title or "LGSP" in title
            else ["thông tin - truyền thông"]), issued))
    workflow.publish_directive(secretary, directive, issued)
    if reorganised:
        reorganise(units, today)

    def report(task, who, offset, progress, results, difficulties="", proposals="", number=""):
        workflow.post_update(users[who], task, workflow.UpdateData(progress=progress, results=results, difficulties=difficulties,
                                                       proposals=proposals, report_number=number), day(offset))

    for task, (_t, _c, _a, offset, story) in zip(tasks, SEED_TASKS):
        if story == "ongoing":
            report(task, "dung.tv" if task.assignee else "hai.nv", -30, 30,
                   "Đã ban hành hướng dẫn tuyên truyền tháng; tổng hợp báo cáo định kỳ của các cơ quan báo chí.")
            report(task, "dung.tv" if task.assignee else "hai.nv", -3, 45,
                   "Tiếp tục theo dõi, đôn đốc; đã tổ chức giao ban báo chí tháng.")
        elif story == "overdue_asks_extension":
            report(task, "hai.nv", -20, 70, "Đã hoàn thành dự thảo đề án, lấy ý kiến các sở, ngành.",
                   difficulties="Chưa có ý kiến thẩm định kinh phí của Sở Tài chính.",
                   proposals="Đề nghị UBND tỉnh chỉ đạo Sở Tài chính sớm có ý kiến thẩm định.", number="512/STTTT-BCXB")
            workflow.request_extension(director, task, day(25), "Chờ ý kiến thẩm định kinh phí của Sở Tài chính.", day(-2))
        elif story == "done_on_time":
            report(task, "dung.tv", -25, 80, "Đã xây dựng kịch bản, chọn đội thi.")
            workflow.submit_completion(director, task, "Đã tham gia hội thi, đạt giải Ba toàn đoàn.", day(-17))
            workflow.confirm_completion(vice_chair, task, "Ghi nhận kết quả.", day(-14))
        elif story == "due_soon":
            report(task, "lan.nt", -20, 30, "Đã khảo sát hạ tầng mạng của các cơ quan.")
            report(task, "lan.nt", -4, 60, "Đã chuyển đổi IPv6 cho Trung tâm dữ liệu tỉnh và cổng thông tin.")
        elif story == "extended":
            workflow.assign(director, task, users["tuan.la"])
            sub = workflow.add_task(director, directive, workflow.TaskData(
                title="Cài đặt, kết nối thử nghiệm trục LGSP với 5 hệ thống của các sở", lead_unit=units["STTTT-CNTT"],
                assignee=users["quang.dv"], deadline=day(-4)), day(-40), parent=task)
            report(sub, "quang.dv", -12, 50, "Đã kết nối 3/5 hệ thống.",
                   difficulties="Hai hệ thống chưa có API theo chuẩn.")
            workflow.request_extension(users["tuan.la"], task, day(20), "Hai hệ thống của Sở Nội vụ chưa có API.", day(-10))
            workflow.decide_extension(vice_chair, task.pending_extension, True, "Đồng ý gia hạn.", day(-7))
        elif story == "early":
            report(task, "hai.nv", -10, 20, "Đã xây dựng dự thảo kiến trúc đô thị thông minh.")
        elif story == "submitted":
            report(task, "quang.dv", -6, 90, "Đã rà soát xong, dự thảo báo cáo.")
            workflow.submit_completion(users["quang.dv"], task, "Báo cáo rà soát số 620/BC-STTTT.", day(-1))
        elif story == "done_late":
            report(task, "hai.nv", -35, 60, "Đã lấy ý kiến các sở, ngành, địa phương.")
            workflow.submit_completion(director, task, "Kế hoạch đã trình UBND tỉnh ban hành.", day(-26))
            workflow.confirm_completion(vice_chair, task, "", day(-24))
    return len(tasks) + 1
