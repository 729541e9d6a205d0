"""Fill a database with realistic, deterministic data for benchmarks.

    flask --app wsgi bench-data --tasks 50000 [--provinces 1] [--seed 1]

Per province: a committee (root), ~40 departments and agencies with three
divisions each, ~10 districts, ~30 users per unit; directives of 3-15 tasks
issued by the committee or a department, deadlines spread over five years
around today, a realistic mix of states (most old tasks done, some late,
some cancelled, the recent ones open or reported), extensions on about one
task in ten, and three progress updates per task on average. Rows are
written with bulk INSERTs in chunks, so 50,000 tasks take seconds, not
minutes. The same seed gives the same data.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import insert, select, text

from tracker.database import db
from tracker.models import (
    DeadlineChange,
    Directive,
    ExtensionRequest,
    ProgressUpdate,
    Task,
    Unit,
    User,
    task_cooperation,
)
from tracker.models import summary
from tracker.models.user import password_method
from tracker.services.search import rebuild
from tracker.text import collation_key, fold

DEPARTMENTS = [
    "Sở Nội vụ", "Sở Tư pháp", "Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn", "Sở Giao thông vận tải", "Sở Xây dựng", "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông", "Sở Lao động - Thương binh và Xã hội", "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Thanh tra tỉnh", "Văn phòng UBND tỉnh",
    "Ban Dân tộc", "Sở Ngoại vụ", "Ban Quản lý các khu công nghiệp", "Đài Phát thanh và Truyền hình tỉnh",
    "Ban Quản lý dự án đầu tư xây dựng", "Quỹ Đầu tư phát triển", "Trung tâm Xúc tiến đầu tư",
    "Bảo hiểm xã hội tỉnh", "Cục Thuế tỉnh", "Công an tỉnh", "Bộ Chỉ huy quân sự tỉnh", "Kho bạc Nhà nước tỉnh",
    "Cục Thống kê tỉnh", "Trường Cao đẳng Cộng đồng", "Ban Quản lý Khu kinh tế", "Liên minh Hợp tác xã",
    "Hội Nông dân tỉnh", "Tỉnh Đoàn", "Hội Liên hiệp Phụ nữ tỉnh", "Ủy ban Mặt trận Tổ quốc tỉnh",
    "Trung tâm Phục vụ hành chính công", "Ban An toàn giao thông tỉnh", "Cục Hải quan tỉnh",
]
DIVISIONS = ["Văn phòng", "Phòng Kế hoạch - Tài chính", "Phòng Nghiệp vụ"]
VERBS = ["Triển khai", "Xây dựng", "Hoàn thiện", "Rà soát", "Tổ chức", "Tham mưu", "Kiểm tra", "Đôn đốc",
         "Báo cáo", "Tăng cường"]
OBJECTS = ["kế hoạch chuyển đổi số", "đề án phát triển du lịch", "phương án phòng chống thiên tai",
           "quy hoạch sử dụng đất", "chương trình xây dựng nông thôn mới", "dự án hạ tầng giao thông",
           "kế hoạch cải cách hành chính", "hệ thống thông tin báo cáo", "trục liên thông LGSP",
           "kế hoạch ứng dụng IPv6", "công tác giải ngân vốn đầu tư công", "công tác tuyên truyền",
           "phương án sắp xếp tổ chức bộ máy", "kế hoạch bảo vệ môi trường", "công tác an toàn thực phẩm"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Lan", "Linh", "Minh", "Nam", "Nga",
         "Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Thu", "Tuấn", "Việt", "Yến"]
REPORTS = ["Đã triển khai theo kế hoạch.", "Đã tổ chức hội nghị quán triệt, phân công cán bộ theo dõi.",
           "Đang rà soát số liệu, hoàn thiện dự thảo báo cáo.",
           "Đã làm việc với các đơn vị liên quan để thống nhất phương án.",
           "Đã trình lãnh đạo đơn vị xem xét, cho ý kiến.", "Gặp khó khăn về kinh phí, đề nghị bổ sung dự toán."]
RARE_REPORT = "Đã cấu hình lại tường lửa và máy chủ tên miền cho cổng thông tin."  # one report in 200
CHUNK = 5000


def _chunks(table, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start:start + CHUNK])


def generate(tasks: int, provinces: int = 1, seed: int = 1, today: date | None = None,
             users_per_unit: int = 30) -> dict[str, int]:
    """Write the data set (commits); return row counts."""
    rng = random.Random(seed)
    wording = random.Random(seed + 1)  # the reports' words: apart, so the rest of the data stays as before
    today = today or date.today()
    now = datetime.now(timezone.utc)
    password_hash = _one_hash()
    next_unit = (db.session.scalar(select(Unit.id).order_by(Unit.id.desc()).limit(1)) or 0) + 1
    next_user = (db.session.scalar(select(User.id).order_by(User.id.desc()).limit(1)) or 0) + 1
    units, users = [], []
    province_units: list[dict] = []
    for p in range(provinces):
        root = _unit(next_unit, f"P{p + 1:02d}", f"Ủy ban nhân dân tỉnh số {p + 1}", "province", None, "/")
        next_unit += 1
        units.append(root)
        tree = {"root": root, "departments": [], "divisions": {}, "districts": []}
        for i, name in enumerate(DEPARTMENTS):
            dept = _unit(next_unit, f"P{p + 1:02d}-D{i + 1:02d}", name, "department", root["id"], root["path"])
            next_unit += 1
            units.append(dept)
            tree["departments"].append(dept)
            tree["divisions"][dept["id"]] = []
            for j, div_name in enumerate(DIVISIONS):
                div = _unit(next_unit, f"P{p + 1:02d}-D{i + 1:02d}-{j + 1}", f"{div_name} {name}", "division",
                            dept["id"], dept["path"])
                next_unit += 1
                units.append(div)
                tree["divisions"][dept["id"]].append(div)
        for k in range(10):
            district = _unit(next_unit, f"P{p + 1:02d}-H{k + 1:02d}", f"Ủy ban nhân dân huyện số {k + 1}",
                             "district", root["id"], root["path"])
            next_unit += 1
            units.append(district)
            tree["districts"].append(district)
        province_units.append(tree)
    unit_users: dict[int, list[int]] = {}
    leaders: dict[int, list[int]] = {}
    for unit in units:
        for n in range(users_per_unit):
            role = "leader" if n < 2 else ("secretary" if n == 2 else "staff")
            name = f"{rng.choice(FAMILY)} Văn {rng.choice(GIVEN)}"
            username = f"u{next_user}"
            users.append({"id": next_user, "username": username, "full_name": name,
                          "email": f"{username}@bench.example", "unit_id": unit["id"], "role": role,
                          "position_title": "", "active": True, "language": "vi", "email_notifications": True,
                          "password_hash": password_hash, "must_change_password": False, "created_at": now,
                          "sort_key": collation_key(name), "search_text": fold(f"{username} | {name}")})
            unit_users.setdefault(unit["id"], []).append(next_user)
            if role == "leader":
                leaders.setdefault(unit["id"], []).append(next_user)
            next_user += 1
    _chunks(Unit.__table__, units)
    _chunks(User.__table__, users)

    directives, task_rows, coop_rows, update_rows, ext_rows, change_rows = [], [], [], [], [], []
    next_directive = (db.session.scalar(select(Directive.id).order_by(Directive.id.desc()).limit(1)) or 0) + 1
    next_task = (db.session.scalar(select(Task.id).order_by(Task.id.desc()).limit(1)) or 0) + 1
    next_ext = (db.session.scalar(select(ExtensionRequest.id).order_by(ExtensionRequest.id.desc()).limit(1)) or 0) + 1
    made = 0
    while made < tasks:
        tree = province_units[rng.randrange(provinces)]
        by_committee = rng.random() < 0.7
        issuer = tree["root"] if by_committee else rng.choice(tree["departments"])
        targets = (tree["departments"] + tree["districts"]) if by_committee else tree["divisions"][issuer["id"]]
        issued = today - timedelta(days=rng.randint(0, 4 * 365))
        count = min(rng.randint(3, 15), tasks - made)
        number = f"{next_directive}/{'TB-UBND' if by_committee else 'KH'}"
        directives.append({"id": next_directive, "number": number, "number_key": fold(number).replace(" ", ""),
                           "year": issued.year, "kind": rng.choice(["conclusion", "official_letter", "plan"]),
                           "title": f"Kết luận về {rng.choice(OBJECTS)}", "issued_on": issued,
                           "issuing_unit_id": issuer["id"], "signer": "", "text": "", "created_by_id": None,
                           "on_behalf_of_id": None, "created_at": now, "published_at": now,
                           "search_text": fold(f"{number} | Kết luận")})
        for position in range(1, count + 1):
            lead = rng.choice(targets)
            title = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} ({next_task})"
            ongoing = rng.random() < 0.08
            deadline = None if ongoing else issued + timedelta(days=rng.randint(15, 240))
            original = deadline
            age = (today - issued).days
            state, completed, done, cancelled, progress = "open", None, None, None, rng.randint(0, 90)
            roll = rng.random()
            if roll < 0.05:
                state, cancelled = "cancelled", min(issued + timedelta(days=rng.randint(1, 60)), today)  # never ahead
            elif age > 60 and roll < (0.9 if age > 365 else 0.55):
                # Three in four reports come by the deadline, the rest up to two months late.
                target = deadline or issued + timedelta(days=120)
                reported = target - timedelta(days=rng.randint(0, 30)) if rng.random() < 0.75 else \
                    target + timedelta(days=rng.randint(1, 60))
                reported = max(issued + timedelta(days=1), min(reported, today - timedelta(days=1)))
                state, completed, done, progress = "done", reported, min(reported + timedelta(days=rng.randint(0, 10)),
                                                                        today), 100
            elif roll > 0.97:
                state = "submitted"
            assignee = rng.choice(unit_users[lead["id"]][3:]) if rng.random() < 0.6 else None
            if deadline is not None and state != "cancelled" and rng.random() < 0.1:
                approved_on = min(deadline + timedelta(days=rng.randint(-10, 5)), today)
                new_deadline = deadline + timedelta(days=rng.randint(15, 90))
                requester = (leaders.get(lead["id"]) or unit_users[lead["id"]])[0]
                ext_rows.append({"id": next_ext, "task_id": next_task, "requested_by_id": requester,
                                 "requested_at": _at(approved_on - timedelta(days=3)), "old_deadline": deadline,
                                 "new_deadline": new_deadline, "reason": "Cần thêm thời gian", "state": "approved",
                                 "decided_by_id": None, "decided_at": _at(approved_on), "decision_note": ""})
                change_rows.append({"task_id": next_task, "effective_on": approved_on, "old_deadline": deadline,
                                    "new_deadline": new_deadline, "reason": "Gia hạn", "extension_id": next_ext,
                                    "changed_by_id": None, "changed_at": _at(approved_on)})
                next_ext += 1
                deadline = new_deadline
            task_rows.append({
                "id": next_task, "directive_id": next_directive, "parent_id": None, "position": position,
                "title": title, "description": "", "issuing_unit_id": issuer["id"], "lead_unit_id": lead["id"],
                "assignee_id": assignee, "deadline": deadline, "original_deadline": original,
                "priority": rng.choice(["normal", "normal", "normal", "high", "urgent"]),
                "tags": [], "tag_text": "", "progress": progress, "state": state, "created_on": issued, "assigned_on": issued,
                "completed_on": completed, "done_on": done, "cancelled_on": cancelled,
                "needs_attention": state == "open" and rng.random() < 0.1, "created_by_id": None,
                "created_at": _at(issued), "updated_by_id": None, "updated_at": _at(issued),
                "search_text": fold(title), "version": 1})
            for coop in rng.sample(targets, k=min(len(targets), rng.choice([0, 0, 1, 2]))):
                if coop["id"] != lead["id"]:
                    coop_rows.append({"task_id": next_task, "unit_id": coop["id"]})
            for n in range(rng.choice([1, 2, 3, 4, 5])):
                day = min(issued + timedelta(days=10 * (n + 1)), today)
                author = rng.choice(unit_users[lead["id"]])
                update_rows.append({"task_id": next_task, "author_id": author, "unit_id": lead["id"],
                                    "contribution": False, "created_at": _at(day), "reported_on": day,
                                    "progress": min(100, 20 * (n + 1)),
                                    "results": RARE_REPORT if wording.random() < 0.005 else wording.choice(REPORTS),
                                    "difficulties": "", "proposals": "", "report_number": "", "response": "",
                                    "responded_by_id": None, "responded_at": None})
            next_task += 1
            made += 1
        next_directive += 1
    postgres = db.engine.dialect.name == "postgresql"
    if postgres:  # a bulk load: the summaries' triggers are off while it writes, and the summaries rebuilt after
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
    _chunks(Directive.__table__, directives)
    _chunks(Task.__table__, task_rows)
    _chunks(task_cooperation, coop_rows)
    _chunks(ExtensionRequest.__table__, ext_rows)
    _chunks(DeadlineChange.__table__, change_rows)
    _chunks(ProgressUpdate.__table__, update_rows)
    if postgres:  # every table the triggers keep, rebuilt while they are still off (each from what it derives from)
        connection = db.session.connection()
        summary.rebuild(connection)
        summary.rebuild_months(connection)
        summary.rebuild_parts(connection)
        summary.rebuild_part_tasks(connection)  # each part's copy of its task's state and deadline
        summary.rebuild_led(connection)  # each directive's led tasks
        summary.rebuild_rollups(connection)  # from the summaries (the task total among them)
        db.session.execute(text("SET LOCAL session_replication_role = origin"))
    rebuild(db.session.connection())  # the rows were written around the ORM: the search index is filled here
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
        for table in ("unit", "user", "directive", "task", "extension_request", "deadline_change",
                      "progress_update"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                    f"(SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))"))
        db.session.commit()
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return {"units": len(units), "users": len(users), "directives": len(directives), "tasks": len(task_rows),
            "updates": len(update_rows), "extensions": len(ext_rows)}


def _unit(unit_id: int, code: str, name: str, kind: str, parent_id: int | None, parent_path: str) -> dict:
    return {"id": unit_id, "code": code, "name": name, "short_name": "", "kind": kind, "parent_id": parent_id,
            "path": f"{parent_path}{unit_id}/", "aliases": [], "email": "", "active": True,
            "sort_key": collation_key(name), "search_text": fold(f"{code} | {name}")}


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=timezone.utc)


def _one_hash() -> str:
    """One password hash shared by every generated user (password "bench-password")."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash("bench-password", method=password_method())
