"""Units named in a text: registry names, group phrases, "Sở: A, B" lists, unknown units.

Names are matched on the folded text (no accents, any case), so "Sở TT&TT",
"SỞ TT & TT", "Sở TTTT" and "So Thong tin va Truyen thong" all find the same
unit when the registry lists those forms. From each registry name the matcher
also derives "UBND ..." from "Ủy ban nhân dân ..." (and back), "TP"/"TX"
from "thành phố"/"thị xã", and tolerates any punctuation between words
("Sở Giao thông - Vận tải" is "Sở Giao thông vận tải").

Collective phrases ("các sở, ban, ngành", "UBND các huyện, thị xã, thành phố",
"Thủ trưởng các cơ quan, đơn vị liên quan", "từng sở, ngành") are found as
written, as mentions of kind "group" naming no unit: the extractor never expands
them into the registry.

Lists after a colon ("các Sở: Nội vụ, Tài chính", "UBND các huyện: Đạ Huoai,
Đạ Tẻh và Cát Tiên") name each unit. A capitalised unit-like phrase the
registry does not know ("Sở ABC", "Ban QLDA chuyên ngành tỉnh") is kept as an
unknown unit, so it can be shown to the user rather than dropped.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ._text import TextView, fold

KINDS = ("province", "department", "agency", "district", "division")


@dataclass(frozen=True)
class UnitRef:
    """A unit of the registry, as the extractor needs it."""

    code: str  # e.g. "STTTT"
    name: str  # "Sở Thông tin và Truyền thông"
    short_name: str = ""  # "Sở TT&TT"
    aliases: tuple[str, ...] = ()  # ("Sở TTTT", "STTTT", ...)
    kind: str = "department"  # province, department, agency, district, division


@dataclass(frozen=True)
class Mention:
    """A unit, group or unknown unit named at [start, end) of the NFC text."""

    start: int
    end: int
    kind: str  # "unit", "group" or "unknown"
    codes: tuple[str, ...]  # the unit, or the group's members (may be empty)
    text: str  # the words as written
    province: bool = False  # the issuing committee itself (kind "province")


_WORD_SEP = r"[\W_]{0,4}"
_HEADS = ("so", "huyen", "thi xa", "thanh pho", "quan", "xa", "phong", "tp", "tx", "ban", "cuc", "trung tam")

# Collective addressees: "các sở, ban, ngành", "UBND các huyện, thị xã, thành phố", "Thủ trưởng các cơ quan,
# đơn vị liên quan", "các ngành công an và quốc phòng". They are kept as written (a phrase), never expanded
# into the registry's units: the user expands them on the review page if they wish.
# A steering committee by its long name, read up to its place: "Ban Chỉ huy Phòng thủ dân sự - Phòng, chống thiên tai
# và Tìm kiếm cứu nạn tỉnh", "Ban Chỉ đạo phòng, chống dịch COVID-19 tỉnh"
_STEERING = (r"ban\s+chi\s+(?:dao|huy)(?:[\s,&\-]+(?!cac(?![a-z0-9]))[a-z0-9&\-]+){0,16}?[\s,]+"
             r"(?:tinh|huyen|thanh\s+pho|quoc\s+gia)(?![a-z0-9])")
_TITLE_WORDS = r"(?:(?:cac\s+)?dong\s+chi|thu\s*truong|giam\s*doc|truong|chu\s*tich|lanh\s*dao|ban\s+giam\s+doc|(?:cac\s+)?thanh\s+vien)"
_ORG_WORDS = (r"(?:ubnd|uy\s*ban\s+nhan\s+dan|hdnd|cong\s+an|ban\s+quan\s+ly\s+du\s+an|ban\s+qlda|"
              r"(?<!van )ban\s+chi\s+(?:dao|huy)(?:\s+(?!cac(?![a-z0-9]))[a-z0-9&\-]+|,\s*chong){0,8}?|"
              r"ban\s+vi(?:\s+(?!cac)[a-z0-9&\-]+){1,6}?)")  # "Ban vì sự tiến bộ phụ nữ các sở, ban, ngành"  # "Ban chỉ huy PCTT và TKCN các huyện"
_NOUNS = (r"(?:ban\s+quan\s+ly(?:\s+du\s+an)?|ban\s+qlda|tinh\s*,\s*thanh(?:\s+pho)?|bo(?!\s+phan)|so|ban|nganh|co\s*quan|don\s*vi|dia\s*phuong|huyen|quan(?!\s+(?:ly|tam))|thi\s+xa|thanh\s+pho|xa|phuong(?!\s+(?:tien|an|thuc|huong|phap|cham|trinh))|thi\s+tran|dac\s+khu|"
          r"doan\s+the|to\s+chuc|cap|chu\s+dau\s+tu|doanh\s+nghiep|luc\s+luong|phong|bo\s+phan|tinh)")
_MORE = (r"(?:thanh\s*,\s*thi|thi(?=\s*,\s*(?:thanh\s+pho|tp)(?![a-z0-9]))|ban\s+quan\s+ly(?:\s+du\s+an)?|ban\s+qlda|so|ban(?!\s+(?:giao|chi\s+(?:dao|huy)))|nganh|co\s*quan|don\s*vi|dia\s*phuong|huyen|quan(?!\s+(?:ly|tam))|thi\s+xa|thanh\s+pho|xa|phuong(?!\s+(?:tien|an|thuc|huong|phap|cham|trinh))|thi\s+tran|dac\s+khu|"
         r"doan\s+the|(?:(?<=[,;/\-]\s)|(?<=[,;/\-])|(?<=\sva\s))to\s+chuc|cap\s+(?:tinh|huyen|xa)|chu\s+dau\s+tu|doanh\s+nghiep|luc\s+luong|phong|bo\s+phan|"
         # "các cơ quan thành viên Ban Chỉ đạo phòng, chống dịch COVID-19 tỉnh": the members of a steering committee,
         # its long name read up to its place
         rf"thanh\s+vien\s+{_STEERING}|"
         r"van\s+phong|(?:cua\s+)?(?:hdnd|ubnd)|cua\s+(?:tinh|thanh\s+pho|huyen|thi\s+xa)(?![a-z0-9])|tinh(?!\s+toan)|tp|tx|t\.\s?u|trung\s+uong|truc\s+thuoc(?:\s+(?:ubnd|uy\s+ban\s+nhan\s+dan)"
         r"\s+(?:tinh|huyen))?|thuoc(?:\s+(?:ubnd|uy\s+ban\s+nhan\s+dan))?|(?:co\s+)?lien\s+quan|chuc\s+nang|"
         r"chuyen\s+mon|su\s+nghiep(?:\s+cong\s+lap)?|chuyen\s+nganh|khu\s+vuc|"
         # "các cơ quan tham mưu" names a kind of body; "các sở, ngành liên quan tham mưu UBND tỉnh ..." is the work
         r"tham\s+muu(?!\s+(?:cho\s+)?(?:ubnd|uy\s*ban|chu\s+tich|hdnd|hoi\s+dong|tinh\s+uy|thanh\s+uy|huyen\s+uy|"
         r"ban\s+thuong\s+vu|thuong\s+truc|lanh\s+dao|cap\s+(?:tren|co\s+tham\s+quyen))(?![a-z0-9]))|truyen\s+thong|bao\s+chi|tuyen\s+truyen|"
         r"cong\s+an|quoc\s+phong|quan\s+su|dia\s+ban|ban\s+quan\s+ly\s+du\s+an|ban\s+qlda|cac|"
         r"chinh\s+tri\s*-\s*xa\s+hoi(?:\s*-\s*nghe\s+nghiep)?|"  # "các tổ chức chính trị - xã hội"
         r"ven\s+bien|ven\s+song|bien\s+gioi|mien\s+nui|vung\s+cao|vung\s+sau|trong\s+diem|duyen\s+hai|"
         r"(?:bac\s+)?(?:bac|trung|nam)\s+bo|tay\s+nguyen|(?:nay|do|tren|neu\s+tren)(?=\s+(?:can|phai|chu\s+dong|tiep\s+tuc|khan\s+truong)))")
_COLLECTIVE_RE = re.compile(
    rf"(?<![a-z0-9])(?:{_TITLE_WORDS}\s+)?(?:{_ORG_WORDS}\s+)?(?:(?:cac|tung|moi|nhung)\s*{_NOUNS}|"
    # "các thành viên trong tiểu ban", "thành viên Tổ công tác": the members of a body, one collective (a steering
    # committee's members are read with its long name, "thành viên Ban Chỉ huy phòng chống thiên tai ...", elsewhere)
    rf"(?:cac\s+)?thanh\s+vien\s+(?:trong\s+|cua\s+)?(?:tieu\s+ban|to\s+cong\s+tac|hoi\s+dong|doan\s+(?:kiem\s+tra|cong\s+tac)|{_STEERING})"
    rf"(?![a-z0-9])(?!\s+(?:phong|phuong|xa|huyen|tinh)(?![a-z0-9]))|"
    # "yêu cầu chính quyền cơ sở tập trung ...", "chính quyền địa phương các cấp", "chính quyền các cấp": the local
    # authorities, unnamed, a collective (not the model "chính quyền địa phương 2 cấp")
    rf"chinh\s+quyen\s+(?:co\s+so|cac\s+cap|cap\s+(?:xa|huyen)|dia\s+phuong(?:\s+cac\s+cap)?(?!\s+(?:2|hai)\s+cap))(?![a-z0-9])|"
    # "yêu cầu cơ quan chức năng điều tra ...", "đơn vị liên quan", "cơ quan công an": unnamed bodies by their
    # role, without "các", a collective
    rf"(?:co\s*quan|don\s*vi)\s+(?:chuc\s+nang|(?:co\s+)?lien\s+quan|cong\s+an)(?![a-z0-9])|"
    # "đề nghị Quý Cơ quan triển khai ...", "Quý Ủy ban", "Quý đơn vị": a letter's addressees, named politely
    # (never "quỹ", a fund, which folds alike: checked on the text)
    rf"quy\s+(?:co\s*quan|don\s*vi|uy\s*ban(?:\s+nhan\s+dan)?|dia\s*phuong|bo)(?![a-z0-9])|"
    rf"(?:ubnd|uy\s*ban\s+nhan\s+dan)\s+cap\s+(?:huyen|xa|tinh)|toan\s+he\s+thong(?:\s+chinh\s+tri)?(?![a-z0-9])|(?:ubnd|uy\s*ban\s+nhan\s+dan)\s+(?:huyen|xa|quan|phuong)\s*,|"
    # "sở, ngành, địa phương rà soát ...", "thủ trưởng sở, ban, ngành và địa phương": a list of kinds of body
    # written without "các", still a collective
    rf"(?:so|ban|nganh|dia\s*phuong|co\s*quan|don\s*vi|doan\s+the)(?:\s*,\s*|\s+va\s+)"
    rf"(?:ban(?!\s+giao)|nganh|dia\s*phuong|co\s*quan|don\s*vi|doan\s+the)(?![a-z0-9])|"
    # "Chủ tịch UBND phải báo cáo ...", "Chủ tịch UBND xã cần ...": an official of an unnamed committee (each
    # locality's), named bare as the subject of "phải/cần"
    rf"(?:chu\s+tich|pho\s+chu\s+tich)\s+(?:ubnd|uy\s*ban\s+nhan\s+dan)(?:\s+(?:xa|phuong|huyen|cap\s+(?:xa|huyen)))?"
    rf"(?=\s+(?:phai|can)\s)|"
    # "Xã, phường phải tổ chức giao ban ...": two kinds of locality named bare as the subject of "phải/cần"
    rf"(?:xa|huyen|quan)\s*,\s*(?:phuong|thi\s+tran|thi\s+xa|thanh\s+pho)(?:\s*,\s*(?:phuong|thi\s+tran|thi\s+xa|thanh\s+pho))*"
    rf"(?=\s+(?:phai|can)\s)|"
    # "Tổ Địa chính, tổ Kiểm tra phải tăng cường ...": work groups named bare, two or more, as the subject of "phải/cần"
    rf"to\s+[a-z]+(?:\s+[a-z]+){{0,2}}(?:\s*,\s*|\s+va\s+)to\s+[a-z]+(?:\s+[a-z]+){{0,2}}(?=\s+(?:phai|can)\s)|"
    # "Uỷ ban nhân dân thành phố và các huyện": the city's committee and the districts', one collective
    rf"(?:ubnd|uy\s*ban\s+nhan\s+dan)\s+(?:thanh\s+pho|thi\s+xa)\s+va\s+cac\s+(?:huyen|xa|phuong|thi\s+tran))"
    rf"(?:(?:\s*[,;/\-]\s*|\s+va\s+|\s+)(?:{_TITLE_WORDS}\s+)?{_MORE}(?![a-z0-9]))*"
)
# The centrally-run cities: their committee is "UBND thành phố" where a province's is "UBND tỉnh".
_CITY_NAME = re.compile(r"(?:ha\s+noi|ho\s+chi\s+minh|hcm|hai\s+phong|da\s+nang|can\s+tho)(?![a-z0-9])")
_CITY_TEXT = re.compile(r"(?<![a-z0-9])(?:tp\s*\.?\s*|thanh\s+pho\s+)?(" + _CITY_NAME.pattern + ")")
_CITY_COMMITTEE = re.compile(r"(?<![a-z0-9])(?:ubnd|uy\s*ban\s+nhan\s+dan)\s+(?:thanh\s+pho|tp)(?![a-z0-9])")
_PROVINCE_COMMITTEE = re.compile(r"(?<![a-z0-9])(?:ubnd|uy\s*ban\s+nhan\s+dan|chu\s+tich|hdnd)\s+tinh(?![a-z0-9])")
_TRAILING_TITLE = re.compile(rf"(?:\s*(?:,|;|\bva\b)\s*|\s+){_TITLE_WORDS}\s*$")
_COLLECTIVE_TRIM = re.compile(r"(?:[\s,;/\-]|\bva\b|\bcac\b)+$")
_LIST_HEAD = re.compile(
    r"(?<![a-z0-9])(?:(?:ubnd|uy\s+ban\s+nhan\s+dan)\s+)?(?:(?P<plural>cac)(?:\s+|(?=huyen\s)))?(?P<head>so|huyen|thi\s+xa|thanh\s+pho|quan(?!\s+(?:ly|tam))|phong)"
    r"(?:\s*:\s*|(?(plural)\s+(?=[a-z0-9])|(?!)))"
)  # "các Sở: Nội vụ, Tài chính"; "các sở QHKT, Xây dựng" (no colon after "các"); "cáchuyện A, B" as a PDF glues it
# "UBND huyện Quang Bình, Bắc Quang": one head shared by two or more named districts.
_SHARED_HEAD = re.compile(r"(?<![a-z0-9])(?:ubnd|uy\s+ban\s+nhan\s+dan)\s+(?P<head>huyen|thi\s+xa|thanh\s+pho)\s+(?=[a-z0-9])")
_ITEM_END = re.compile(r"[,;.]")
_ITEM_KIND = re.compile(r"\s*(tx|tp|thi\s+xa|thanh\s+pho)\s*\.?\s*(?=[a-z])")
_ITEM_KINDS = {"tx": "thi xa", "tp": "thanh pho", "thi xa": "thi xa", "thanh pho": "thanh pho"}
_LIST_SEP = re.compile(r"\s*(?:,|;|\bva\b)\s*")

_UNKNOWN_HEAD = re.compile(
    r"(?<![\w])(?:Sở|Ban Quản lý|Ban|Phòng|Trung tâm|Chi cục|Cục|Tổng cục|Đài|Văn phòng|Thanh tra|Bộ Chỉ huy|Bộ|"
    r"UBND|Ủy ban nhân dân|Uỷ ban nhân dân|Ủy ban|Uỷ ban|Công ty|Hội đồng|Đoạn|Hạt|Tổ công tác|Tỉnh đoàn|Hội)"
    r"[ \t]+(?=\w)"
)
# A second place after a unit's, the head named once: "Sở Y tế Vĩnh Phúc| và Sơn La".
_SECOND_PLACE = re.compile(r"[ \t]*(?:,|và)[ \t]+([A-ZĐÀ-Ỹ][^\W\d_]*(?:[ \t]+[A-ZĐÀ-Ỹ][^\W\d_]*){0,2})(?![^\W\d_])")
# A council and a committee sharing their place, named once after the second: "HĐND, UBND tỉnh Quảng Ninh".
_BODY_HEAD = re.compile(r"(?:hdnd|ubnd|hoi dong nhan dan|uy ban nhan dan)[ \t]+(?=[a-z0-9])")
_ELLIPTIC_BODY = re.compile(r"(?<![a-z0-9])(hdnd|ubnd|hoi dong nhan dan|uy ban nhan dan)[ \t]*,[ \t]*(?=" + _BODY_HEAD.pattern + ")")
# A local committee's level before its name: "UBND huyện Phú Lộc", "Ủy ban nhân dân xã Tân Hòa".
_UNKNOWN_LEVEL = re.compile(r"(?:huyện|quận|thị xã|thành phố|tp\.?|xã|phường|thị trấn|đặc khu)[ \t]+(?=\w)", re.IGNORECASE)
# Words that end an unknown unit's name: the verbs and role words that follow it.
_NAME_STOP = re.compile(
    r"^(?:và|với|cùng|chủ|phối|có|là|đã|đang|sẽ|được|theo|tại|trên|về|để|của|kiểm|báo|tổng|tham|triển|thực|"
    r"hoàn|xây|tổ|rà|nghiên|khẩn|tiếp|chỉ|đề|trình|yêu|hướng|đôn|theo|tăng|chuẩn|lập|xử|giải|phê|"
    r"cập|bổ|gửi|đánh|làm|thẩm|quản|phụ|nắm|căn|trong|trước|nhằm|như|khi|các|cần|phải|tăng|đẩy|tập|"
    r"thống|chuẩn|bảo|đảm|tiến|sớm|tiếp|xem|bố|tạo|thường|vào|vừa|cũng|mới)$",
    re.IGNORECASE,
)


# "UBND các tỉnh Thanh Hóa, Nghệ An, Hà Tĩnh", "các bộ Công an, Quốc phòng, Giao thông Vận tải": a group whose
# members are then named (places, ministries the registry does not hold) is one collective, the names included.
_PLACE_HEAD = re.compile(r"(?<![a-z0-9])(?:cac|nhung)\s+(?:tinh|huyen|xa|quan(?!\s+(?:ly|tam))|phuong|bo|thanh\s+pho|thi\s+xa)(?![a-z0-9])")
_NAME_ITEM = re.compile(r"[ \t]*(?:,|;|\bvà\b)?[ \t]*([^\W\d_](?:(?![ \t]và[ \t])[^,;\n.]){0,60})")
_CAPITALISED = re.compile(r"(?:[A-ZĐÀ-Ỹ][^\s,;.]*)(?:[ \t]+[A-ZĐÀ-Ỹ][^\s,;.]*)*")


_SPEAKER_HEAD = re.compile(r"(?:Thủ tướng|Phó Thủ tướng|Chủ tịch|Phó Chủ tịch|Bộ trưởng|Giám đốc|Lãnh đạo|Đồng chí)(?!\w)")


def _named_places(text: str, end: int, taken: bytearray) -> int:
    """Return where the names listed right after a group end ("UBND các tỉnh| Thanh Hóa, Nghệ An tiếp tục ...")."""
    pos = end
    first = True
    while True:
        m = _NAME_ITEM.match(text, pos)
        if m is None or not m.group(1)[:1].isupper() or taken[m.start(1)] or _UNKNOWN_HEAD.match(m.group(1)) \
                or _SPEAKER_HEAD.match(m.group(1)):
            return end  # "..., Sở X", "..., Ban Quản lý ...": a unit of its own follows
        if not first and not re.match(r"[ \t]*(?:,|;|\bvà\b)", text[pos:m.start(1)]):
            return end
        item = m.group(1).rstrip()
        after = text[m.start(1) + len(item):m.start(1) + len(item) + 4]
        if len(item.split()) <= 6 and re.match(r"[ \t]*(?:,|;|và\b)", after) and not any(
                taken[m.start(1):m.start(1) + len(item)]):
            end = pos = m.start(1) + len(item)  # a name followed by the next one
        else:
            head = _CAPITALISED.match(text, m.start(1))
            if head is None or not head.group().strip() or any(taken[head.start():head.end()]):
                return end
            return head.end()  # the last name, then the sentence goes on
        first = False


def _tokens(name: str) -> list[str]:
    """Return the folded word tokens of a name."""
    return re.findall(r"[a-z0-9]+", fold(name))


def _variants(unit: UnitRef) -> set[tuple[str, ...]]:
    """Return the token sequences under which a unit may be written."""
    out: set[tuple[str, ...]] = set()
    for name in (unit.name, unit.short_name, *unit.aliases):
        toks = _tokens(name)
        if not toks:
            continue
        forms = [toks]
        # "Ủy ban tỉnh" for Ủy ban nhân dân tỉnh (speech reported by the news: "đề nghị Ủy ban tỉnh triển khai ...")
        for a, b in (("uy ban nhan dan", "ubnd"), ("ubnd", "uy ban nhan dan"), ("uy ban nhan dan tinh", "uy ban tinh"),
                     ("thanh pho", "tp"), ("thi xa", "tx")):
            for form in list(forms):
                text = " ".join(form)
                if f" {a} " in f" {text} ":
                    forms.append(f" {text} ".replace(f" {a} ", f" {b} ").split())
        if "&" in name:
            forms.append(_tokens(name.replace("&", " và ")))
        for form in list(forms):
            if "va" in form[1:-1]:  # "Sở Kế hoạch - Đầu tư", "Sở Nông nghiệp - PTNT": the "và" written as a dash
                forms.append([t for t in form if t != "va"])
        if unit.kind == "district" and toks[:4] == ["uy", "ban", "nhan", "dan"] and len(toks) > 5 \
                and toks[4] in ("huyen", "thi", "thanh", "quan"):
            forms.append(toks[4:])  # "riêng huyện Duy Xuyên phải ...": the district named for its committee
        if toks[0] == "so" and len(toks) > 1:  # "ngành y tế", "ngành giáo dục": the sector names its department
            forms.append(["nganh", *toks[1:]])
            if "va" in toks[2:]:
                forms.append(["nganh", *toks[1:toks.index("va")]])
        out.update(tuple(f) for f in forms)
    out.update(_abbreviations(unit.name))
    return out


_ABBREVIATED_HEADS = (("so",), ("ban",), ("phong",), ("trung", "tam"), ("chi", "cuc"), ("cuc",), ("bo",))
_PLACE_TAIL = re.compile(r"\s+(?:tỉnh|thành phố|huyện|thị xã)$", re.IGNORECASE)


def _abbreviations(name: str) -> set[tuple[str, ...]]:
    """Return the usual abbreviations of a name: "Sở Khoa học và Công nghệ" -> "Sở KH&CN", "Sở KH-CN",
    "Sở KHCN" (the head word, then each syllable's first letter, the words grouped as written)."""
    toks = _tokens(name)
    for head in _ABBREVIATED_HEADS:
        if tuple(toks[:len(head)]) == head:
            break
    else:
        return set()
    rest = " ".join(name.split()[len(head):])
    place = _PLACE_TAIL.search(rest)  # "Bộ Chỉ huy Quân sự tỉnh" -> "Bộ CHQS tỉnh": the place stays written out
    tail = tuple(_tokens(place.group())) if place else ()
    if place:
        rest = rest[:place.start()]
    words = re.split(r"\s*(?:,|-|–|\bvà\b|&)\s*", rest)
    groups = ["".join(t[0] for t in _tokens(w)) for w in words if _tokens(w)]
    letters = "".join(groups)
    if len(letters) < 3 or (len(groups) < 2 and len(letters) < 4):
        return set()  # "Sở Y tế", "Sở Tài chính": nothing usual to abbreviate
    return {(*head, *groups, *tail), (*head, letters, *tail)}


class UnitMatcher:
    """Find the units, groups and unknown units that a text names."""

    def __init__(self, units: Sequence[UnitRef]) -> None:
        self.units = {u.code: u for u in units}
        by_variant: dict[tuple[str, ...], str] = {}
        suffixes: dict[str, set[str]] = {}
        for unit in units:
            for toks in _variants(unit):
                by_variant.setdefault(toks, unit.code)
                for i in range(len(toks)):
                    for head in _HEADS:
                        head_toks = head.split()
                        if list(toks[i:i + len(head_toks)]) == head_toks and len(toks) > i + len(head_toks):
                            suffixes.setdefault(" ".join(toks[i:]), set()).add(unit.code)
        self._by_variant = by_variant
        self._by_letters = {"".join(t): c for t, c in by_variant.items()}
        self._suffix = {k: next(iter(v)) for k, v in suffixes.items() if len(v) == 1}
        ordered = sorted(by_variant, key=lambda t: (-len(" ".join(t)), t))
        if ordered:
            alternatives = "|".join(_WORD_SEP.join(re.escape(t) for t in toks) for toks in ordered)
            self._unit_re: re.Pattern[str] | None = re.compile(
                rf"(?<![a-z0-9])(?:{alternatives})(?:(?![a-z0-9])|(?=chu\s?tri|phoi\s?hop))"
            )
        else:
            self._unit_re = None

    def members(self, kinds: Sequence[str]) -> tuple[str, ...]:
        """Return the codes of the registry units of the given kinds, in registry order."""
        return tuple(code for code, u in self.units.items() if u.kind in kinds)

    def _lookup(self, folded_phrase: str) -> str | None:
        """Return the unit whose name is exactly this folded phrase, if any."""
        toks = tuple(re.findall(r"[a-z0-9]+", folded_phrase))
        return self._by_variant.get(toks)

    def _list_items(self, view: TextView, head: str, pos: int, limit: int) -> list[tuple[int, int, str]]:
        """Read "A, B và C" after a list head; return the spans and codes of the items that resolve."""
        items: list[tuple[int, int, str]] = []
        head_key = " ".join(head.split())
        while pos < limit:
            # "các Sở: Xây dựng, Kế hoạch và Đầu tư": an item may hold "và" ("Kế hoạch và Đầu tư"); the longest name
            # with its "và", up to the next comma, wins; else the list's "và" separates two items
            comma = _ITEM_END.search(view.fold, pos, limit)
            wide_words = list(re.finditer(r"[a-z0-9]+", view.fold[pos:comma.start() if comma else limit]))
            joined = None
            for k in range(len(wide_words), 2, -1):
                toks = [w.group() for w in wide_words[:k]]
                if "va" in toks[1:-1]:
                    code = self._suffix.get(head_key + " " + " ".join(toks)) or self._lookup(head_key + " " + " ".join(toks))
                    if code:
                        joined = (pos + wide_words[0].start(), pos + wide_words[k - 1].end(), code)
                        break
            if joined:
                items.append(joined)
                nxt = _LIST_SEP.match(view.fold, joined[1], limit)
                if nxt is None:
                    break
                pos = nxt.end()
                continue
            # "các huyện Phù Mỹ, Vân Canh, TX.An Nhơn và TP.Quy Nhơn": an item of another kind names its own head
            item_key, item_pos = head_key, pos
            kind = _ITEM_KIND.match(view.fold, pos, limit)
            if kind and head_key in ("huyen", "thi xa", "thanh pho", "quan"):
                item_key, item_pos = _ITEM_KINDS[" ".join(kind.group(1).split())], kind.end()
            sep = _LIST_SEP.search(view.fold, item_pos, limit)
            stop = sep.start() if sep else limit
            dot = view.fold.find(".", item_pos, stop)
            if dot >= 0:
                stop, sep = dot, None
            words = list(re.finditer(r"[a-z0-9]+", view.fold[item_pos:stop]))
            found = None
            for k in range(len(words), 0, -1):
                key = item_key + " " + " ".join(w.group() for w in words[:k])
                code = self._suffix.get(key) or self._lookup(key)
                if code:
                    found = (kind.start(1) if item_pos != pos else item_pos + words[0].start(),
                             item_pos + words[k - 1].end(), code)
                    break
            if not found:
                break
            items.append(found)
            if view.fold[found[1]:stop].strip() or sep is None:
                break  # the last item runs on into the sentence, or the list ends
            pos = sep.end()
        return items

    def find(self, view: TextView) -> list[Mention]:
        """Return every mention in the text, ordered by position, without overlaps."""
        mentions: list[Mention] = []
        taken = bytearray(len(view))

        def free(a: int, b: int) -> bool:
            return not any(taken[a:b])

        def take(m: Mention) -> None:
            mentions.append(m)
            taken[m.start:m.end] = b"\x01" * (m.end - m.start)

        for m in _LIST_HEAD.finditer(view.fold):
            limit = len(view)
            nl = view.fold.find("\n", m.end())
            if nl >= 0:
                limit = nl
            items = self._list_items(view, m.group("head"), m.end(), limit)
            for k, (a, b, code) in enumerate(items):
                start = m.start() if k == 0 else a
                if free(start, b):
                    take(Mention(start, b, "unit", (code,), view.text[start:b],
                                 self.units[code].kind == "province"))

        for m in _SHARED_HEAD.finditer(view.fold):
            if taken[m.start()]:
                continue
            nl = view.fold.find("\n", m.end())
            items = self._list_items(view, m.group("head"), m.end(), nl if nl >= 0 else len(view))
            if len(items) >= 2 and free(m.start(), items[-1][1]):
                for k, (a, b, code) in enumerate(items):
                    start = m.start() if k == 0 else a
                    take(Mention(start, b, "unit", (code,), view.text[start:b], self.units[code].kind == "province"))

        if self._unit_re is not None:
            for m in self._unit_re.finditer(view.fold):
                if free(m.start(), m.end()):
                    code = self._lookup(m.group()) or self._match_code(m.group())
                    if code:
                        take(Mention(m.start(), m.end(), "unit", (code,), view.text[m.start():m.end()],
                                     self.units[code].kind == "province"))

        for m in [x for x in mentions if x.kind == "unit"]:
            # "Sở Y tế Vĩnh Phúc và Sơn La": a second place after the first, the unit's head named once
            place = _SECOND_PLACE.match(view.text, m.end)
            words = m.text.split()
            if place is None or not free(place.start(1), place.end(1)):
                continue
            for k in (1, 2, 3):
                if k >= len(words) or not words[-k][:1].isupper():
                    break
                code = self._lookup(fold(" ".join(words[:-k]) + " " + place.group(1)))
                if code and code not in m.codes:
                    take(Mention(place.start(1), place.end(1), "unit", (code,), place.group(1),
                                 self.units[code].kind == "province"))
                    break

        province = next((c for c, u in self.units.items() if u.kind == "province"), None)
        if province is not None and re.search(r"\btinh$", fold(self.units[province].name)) \
                and len({" ".join(c.group(1).split()).replace("hcm", "ho chi minh")
                         for c in _CITY_TEXT.finditer(view.fold)}) == 1 \
                and not _PROVINCE_COMMITTEE.search(view.fold):  # (one city named: a national text names several)
            # A centrally-run city's text ("TP. Đà Nẵng: ... đề nghị UBND thành phố đẩy nhanh ..."): its "UBND thành
            # phố", unnamed or named after the city, is the issuing committee the registry calls "UBND tỉnh"
            for m in _CITY_COMMITTEE.finditer(view.fold):
                after = view.text[m.end():m.end() + 40]
                named = re.match(r"[ \t.]*([^\W\d_][^\s,.;:]*)", after)
                if named and named.group(1)[:1].isupper() and not _CITY_NAME.match(fold(after).lstrip(" \t.")):
                    continue  # "UBND thành phố Thủ Đức": a city inside the city, not its committee
                end = m.end()
                city = _CITY_NAME.match(view.fold, end + len(after) - len(after.lstrip(" \t.")))
                if city and named and named.group(1)[:1].isupper():
                    end = city.end()
                if free(m.start(), end):
                    take(Mention(m.start(), end, "unit", (province,), view.text[m.start():end], True))

        pos = 0
        while True:
            m = _COLLECTIVE_RE.search(view.fold, pos)
            if m is None:
                break
            start, end = m.start(), m.end()
            pos = end
            if view.fold.startswith("quy", start) and not view.low.startswith("quý", start):
                continue  # "quỹ cơ quan": a fund, not the letter's polite "Quý Cơ quan"
            if taken[start]:
                pos = start + 1
                while pos < len(taken) and taken[pos]:
                    pos += 1
                continue
            for k in range(start, end):
                if taken[k]:
                    end = k  # a registered unit's name ends the phrase ("các sở, ngành; Sở Tài chính")
                    pos = k  # and another phrase may follow it ("... trực thuộc UBND tỉnh; Chủ tịch UBND các huyện")
                    # "thủ trưởng các sở, ngành liên quan và Chủ tịch| UBND các huyện A, B": the title is the unit's
                    title = _TRAILING_TITLE.search(view.fold, start, end)
                    if title and title.start() > start:
                        end = title.start()
                    break
            tail = _COLLECTIVE_TRIM.search(view.fold, start, end)
            if tail:
                end = tail.start()
            whole = _COLLECTIVE_RE.match(view.fold, start)  # (not bounded: "những địa phương này| phải ..." looks on)
            if end - start >= 5 and (_COLLECTIVE_RE.fullmatch(view.fold, start, end) or (whole and whole.end() == end)):
                if _PLACE_HEAD.search(view.fold, start, end):
                    end = _named_places(view.text, end, taken)
                take(Mention(start, end, "group", (), view.text[start:end]))

        for m in _UNKNOWN_HEAD.finditer(view.text):
            start, name = m.start(), m.end()
            level = _UNKNOWN_LEVEL.match(view.text, name) if m.group().lower().startswith(("ubnd", "ủy", "uỷ")) else None
            if level:
                name = level.end()  # "UBND huyện Phú Lộc" when the registry does not hold that district
            if taken[start] or not (view.text[name].isupper() or view.text[name].isdigit()):
                continue
            end = self._unknown_end(view, name)
            if end <= name:
                continue
            inside = [x for x in mentions if x.start < end and start < x.end]
            if inside and all(x.province and start <= x.start and x.end <= end for x in inside):
                for x in inside:  # "Văn phòng UBND tỉnh" when only "UBND tỉnh" is registered
                    mentions.remove(x)
                    taken[x.start:x.end] = b"\x00" * (x.end - x.start)
            if free(start, end):
                take(Mention(start, end, "unknown", (), view.text[start:end].strip()))

        for m in _ELLIPTIC_BODY.finditer(view.fold):
            # "HĐND, UBND tỉnh Quảng Ninh": the first body shares the second's place, named once
            start, end = m.start(1), m.end(1)
            second = next((x for x in mentions if x.start == m.end()), None)
            head = _BODY_HEAD.match(view.fold, m.end())
            if second is None or head is None or head.end() >= second.end or not free(start, end):
                continue
            place = view.fold[head.end():second.end]
            code = self._lookup(view.fold[start:end] + " " + place)
            if code:
                take(Mention(start, end, "unit", (code,), view.text[start:end], self.units[code].kind == "province"))
            else:
                take(Mention(start, end, "unknown", (), view.text[start:end] + " " + view.text[head.end():second.end]))

        mentions.sort(key=lambda x: x.start)
        return mentions

    def _match_code(self, matched: str) -> str | None:
        """Return the unit of a match whose word breaks differ from the registry's ("TTTT", "TT&TT")."""
        return self._by_letters.get("".join(re.findall(r"[a-z0-9]+", matched)))

    @staticmethod
    def _unknown_end(view: TextView, pos: int) -> int:
        """Return where the name of an unknown unit that starts before `pos` ends."""
        end = pos
        count = 0
        words = list(re.finditer(r"\S+", view.text[pos:pos + 120]))
        for k, w in enumerate(words):
            word = w.group()
            core = word.rstrip(",.;:)")
            if count and (_NAME_STOP.match(core) or not core or word[0] in "(\"“-–"):
                if not (core == "Tổ" and k + 1 < len(words) and words[k + 1].group().startswith("quốc")):
                    break  # "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh" goes on
            if count >= 9:
                break
            end = pos + w.start() + len(core)
            count += 1
            if core != word:
                break
        return end
