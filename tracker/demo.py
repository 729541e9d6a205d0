"""The demo data of `make run` (`flask init-db --demo`).

Built from ../shared/seeds/conclusion-stttt-2020-05-29.txt: a Vice-Chair's
working session with the Department of Information and Communications.
Every part of the model grows its demo data here, in one place.
"""
from __future__ import annotations

from dataclasses import dataclass

from tracker.extensions import db
from tracker.models import Unit, User

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
    DemoUser("hai.nv", "Nguyễn Văn Hải", "STTTT", "leader", "Giám đốc Sở"),
    DemoUser("minh.pq", "Phạm Quang Minh", "STTTT", "leader", "Phó Giám đốc Sở"),
    DemoUser("hoa.nt", "Nguyễn Thị Hoa", "STTTT", "secretary", "Chuyên viên Văn phòng Sở"),
    DemoUser("tuan.la", "Lê Anh Tuấn", "STTTT-CNTT", "leader", "Trưởng phòng Công nghệ thông tin"),
    DemoUser("lan.nt", "Nguyễn Thị Lan", "STTTT-CNTT", "staff", "Chuyên viên"),
    DemoUser("quang.dv", "Đỗ Văn Quang", "STTTT-CNTT", "staff", "Chuyên viên"),
    DemoUser("dung.tv", "Trần Văn Dũng", "STTTT-BCXB", "staff", "Chuyên viên"),
    DemoUser("khoa.dm", "Đặng Minh Khoa", "STTTT-BCVT", "staff", "Chuyên viên"),
    DemoUser("binh.lv", "Lê Văn Bình", "SNV", "leader", "Giám đốc Sở Nội vụ"),
    DemoUser("an.pt", "Phan Thị An", "STC", "leader", "Giám đốc Sở Tài chính"),
    DemoUser("son.hx", "Hoàng Xuân Sơn", "DPTTH", "leader", "Giám đốc Đài"),
    DemoUser("phuc.nd", "Nguyễn Đình Phúc", "H-PHULOC", "leader", "Chủ tịch UBND huyện"),
]


def add_unit(code: str, name: str, *, short_name: str = "", kind: str = "department",
             parent: Unit | None = None, aliases: list[str] | None = None, email: str = "") -> Unit:
    """Create a unit under `parent` with its path and search columns (no commit)."""
    unit = Unit(code=code, name=name, short_name=short_name, kind=kind, aliases=aliases or [], email=email)
    unit.refresh_search()
    db.session.add(unit)
    db.session.flush()
    unit.set_parent(parent)
    return unit


def add_user(username: str, full_name: str, unit: Unit, role: str, *, email: str = "",
             position_title: str = "", password: str | None = None, language: str = "vi") -> User:
    """Create a user (no commit). Without a password the account cannot sign in yet."""
    user = User(username=username.lower(), full_name=full_name, unit=unit, role=role,
                email=email or f"{username}@example.gov.vn", position_title=position_title, language=language)
    if password:
        user.set_password(password)
    user.refresh_search()
    db.session.add(user)
    return user


def load_demo(today=None) -> dict[str, int]:
    """Fill an empty database with the demo units and users; return what was created."""
    units: dict[str, Unit] = {}
    for code, name, short, kind, parent, aliases in UNITS:
        units[code] = add_unit(code, name, short_name=short, kind=kind, parent=units.get(parent), aliases=aliases)
    for spec in USERS:
        add_user(spec.username, spec.full_name, units[spec.unit], spec.role,
                 position_title=spec.position_title, password=DEMO_PASSWORD)
    db.session.flush()
    return {"units": len(UNITS), "users": len(USERS)}
