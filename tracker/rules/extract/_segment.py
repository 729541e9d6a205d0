"""Cut a text into clauses: paragraphs, numbered items, sentences, semicolons, lead-in colons.

A clause never ends inside a protected span: a unit or group name ("Sở TT&TT",
"UBND các huyện, thị xã, thành phố"), a quoted title ("..." or “...”), a
parenthesis, a date ("30/6/2020"), a number ("3.376"), an e-mail or web
address, or an abbreviation ("TP. Hội An", "v.v."). A sentence ends at ".",
"!", "?", "…" or "./." followed by a capital letter, a digit, a bullet or the
end of the paragraph ("…" even without a space: "…Ban Chỉ đạo cần"). A colon ends a clause only after a lead-in ("cụ thể:",
"như sau:", "chỉ đạo:", "kết luận:") or at the end of a paragraph.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ._text import TextView

_BULLET = re.compile(r"[ \t]*(?:[-+•*\u2013\u2014]|\d{1,2}[.)](?!\d)|[a-zđ]\)|\((?:\d{1,2}|[a-zđ])\)|[IVX]{1,4}[.)])[ \t]+")
_INLINE_ITEM = re.compile(r"(?<=[:;.])[ \t]+(?=(?:\d{1,2}[.)]|[a-zđ]\)|\(\d{1,2}\)|[-+•])[ \t]+\S)")
_SENTENCE_END = re.compile(r"(?:\./\.|[.!?…]+)(?=[ \t\"”’)]*(?:$|[ \t]))|…(?=[^\W\d_])")  # "…Ban Chỉ đạo cần"
_LEADIN_COLON = re.compile(
    r"(?:cu the|nhu sau|sau day|sau|chi dao|chi thi|ket luan(?:\s+(?:cuoc hop|buoi lam viec|hoi nghi|phien hop))?|y kien|gom|bao gom|cac noi dung|nhiem vu(?: trong tam| chu yeu)?|yeu cau|de nghi|nhan manh|luu y|neu ro|"
    r"giao|quyet dinh)\s*$"
)
_SEMI_COLON = re.compile(r"[;:]")
_GLUED_STOP = re.compile(r"(?<=[^\W\d_]{2})\.(?=[^\W\d_]{2})")  # "dầu.Theo đó": no space after the full stop
_QUOTE_ATTRIBUTED = re.compile(r"(?<=\w)[\"”](?=[ \t]*[-–][ \t]+\w)")  # a quotation closed, then who said it
_CAPTION = re.compile(r"[ \t]*\(?(?:Ảnh|ẢNH|Ảnh minh họa|Ảnh minh hoạ)\s*:")
_DATELINE = re.compile(r"(?:Sáng|Chiều|Tối|Trưa|Ngày|Hôm)(?:[ \t]+(?:nay|qua|mai|\d{1,2}(?:[/\-.]\d{1,2})?))")
_ITEM_NUMBER = re.compile(r"[ \t]*(?:\d{1,2}|[IVX]{1,4}|[a-zđ])")
_ABBREVIATIONS = frozenset({
    "tp", "tx", "tt", "q", "p", "h", "x", "v.v", "vv", "ths", "ts", "pgs", "gs", "bs", "ks", "th.s", "st", "đ/c",
    "đc", "ông", "bà", "no", "stt", "tr", "nxb",
})
_PROTECT_PATTERNS = [
    # a quoted title; a quoted speech is longer, or has a second sentence of six words or more ("Xã, phường phải ....
    # Chủ tịch UBND phải báo cáo ..."), and is cut like any text
    re.compile(r"“(?:(?!\.[ \t]+[A-ZĐÀ-Ỹ][^”\n.]*?(?:[ \t]+[^\s”]+){5})[^”\n]){0,160}”"),
    re.compile(r"\"(?:(?!\.[ \t]+[A-ZĐÀ-Ỹ][^\"\n.]*?(?:[ \t]+[^\s\"]+){5})[^\"\n]){0,160}\""),
    re.compile(r"«[^»\n]{0,160}»"),
    re.compile(r"‘[^’\n]{0,160}’"),
    re.compile(r"\([^()\n]{0,400}\)"),
    re.compile(r"\b\d{1,4}(?:[/.\-]\d{1,4}){1,2}\b"),
    re.compile(r"(?<![\w.+\-])[\w.+\-]{1,64}@[\w\-]{1,63}(?:\.[\w\-]{1,63}){1,8}"),
    re.compile(r"(?:https?://|www\.)\S+"),
    re.compile(r"\b(?:[A-ZĐa-zđ]{1,3}\.){1,3}[A-ZĐa-zđ]{1,3}\b"),  # P.L, X.T, v.v, Th.S
]


@dataclass(frozen=True)
class Clause:
    """A clause at [start, end) of the NFC text (trimmed), with its place in the text."""

    start: int
    end: int
    para: int
    sentence: int  # a document-wide sentence number
    first_in_sentence: bool
    ends_leadin: bool  # the clause ends with a lead-in colon ("cụ thể:")
    after_leadin: bool  # the clause follows a lead-in colon in the same sentence
    bullet: bool  # the clause began with a bullet or item number


def _protected(view: TextView, extra: Iterable[tuple[int, int]]) -> bytearray:
    """Return a mask of the characters inside which no clause may end."""
    mask = bytearray(len(view))
    for pattern in _PROTECT_PATTERNS:
        for m in pattern.finditer(view.text):
            mask[m.start() + 1:m.end()] = b"\x01" * (m.end() - m.start() - 1)
    for a, b in extra:
        mask[a + 1:b] = b"\x01" * max(0, b - a - 1)
    return mask


def _is_abbreviation(view: TextView, dot: int) -> bool:
    """Return True if the "." at `dot` closes an abbreviation such as "TP." or "v.v."."""
    m = re.search(r"(\S+)$", view.low[max(0, dot - 12):dot])
    if not m:
        return False
    word = m.group(1).lstrip("(\"“")
    # an initial ("Q. Bình Thạnh", "P. 5") is a capital letter; "thú y.", "lưu ý." end their sentence
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha() and view.text[dot - 1].isupper())


def _trim(view: TextView, a: int, b: int) -> tuple[int, int, bool]:
    """Trim spaces, a leading bullet and trailing punctuation; say if a bullet was removed."""
    text = view.text
    while a < b and (text[a].isspace() or text[a] in "\"“”‘’«"):
        a += 1
    bullet = False
    m = _BULLET.match(text, a, b)
    while m:
        a, bullet = m.end(), True
        m = _BULLET.match(text, a, b)
    while b > a and (text[b - 1].isspace() or text[b - 1] in ".;:,…/!?\"“”’»"):
        b -= 1
    return a, b, bullet


# A capitalised word that opens a sentence and never a name: after a line break it starts a new paragraph.
_OPENER = re.compile(r"(?:Đối với|Theo|Để|Trước|Sau khi|Trong|Tại|Ngày|Sáng|Chiều|Tối|Hiện nay|Qua|Tuy nhiên|Do|Vì|"
                     r"Nhằm|Những|Các|Cùng với|Đồng thời|Ngoài ra|Bên cạnh|Riêng|Thực hiện|Căn cứ|Xét|Khi|Nếu|Từ|Về)"
                     r"(?=[ \t,])")


# A news item's lead after its headline: the speaker, then "vừa" (just did) within the clause.
_NEWS_LEAD = re.compile(r"(?:(?:Phó )?Chủ tịch |Giám đốc )?(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân|Thủ tướng|Bộ|Sở|Văn phòng)"
                        r"[^\n.;:]{0,60}?[ \t]vừa[ \t]")
_NUMBERED_LINE = re.compile(r"[ \t]*(?:\d{1,2}|[a-zđ])[.)][ \t]+\S")
# A capitalised verb that opens the text under a numbered heading (never a unit's name wrapped onto the line).
_WORK_OPENER = re.compile(r"(?:Tiếp tục|Tăng cường|Tập trung|Đẩy mạnh|Đẩy nhanh|Triển khai|Thực hiện|Nâng cao|Rà soát|"
                          r"Hoàn thiện|Chủ động|Khẩn trương|Đổi mới|Quán triệt|Duy trì|Kiện toàn)(?=[ \t,])")


def _soft_newline(text: str, i: int, mask: bytearray, line_start: int) -> bool:
    """Return True if the newline at `i` only wraps a line (a PDF or a narrow column), inside one paragraph."""
    if mask[i]:
        return True  # inside a unit's name, a date, a parenthesis
    j = i - 1
    while j >= line_start and text[j] in " \t\r":
        j -= 1
    k = i + 1
    while k < len(text) and text[k] in " \t\r":
        k += 1
    if j < line_start or k >= len(text) or text[k] == "\n":
        return False
    prev, nxt = text[j], text[k]
    if nxt.isdigit() and re.match(r"\d{1,4}[/\-]\w", text[k:k + 8]) \
            and re.search(r"(?<!\w)(?:số|ngày)$", text[max(line_start, j - 6):j + 1]):
        return True  # "Thông tư số\n12/2014/TT-BGTVT": a number wrapped onto the next line
    if nxt.isdigit() and not re.match(r"\d{1,2}\s*[.)]\s", text[k:k + 5]) \
            and re.search(r"(?<!\w)(?:năm|tháng|quý|ngày|số|khoản|điều)$", text[max(line_start, j - 6):j + 1]):
        return True  # "... tìm kiếm cứu nạn năm\n2014 trước ngày ...": a year wrapped onto the next line
    if prev in ".;:!?…|" or nxt in "-+•*|" or nxt.isdigit():
        return False
    if _CAPTION.match(text, line_start) or _CAPTION.match(text, k):
        return False  # a photo caption is a line of its own
    if _DATELINE.match(text, k):
        return False  # "Chiều 27/11, ...": a news item starts after its headline
    if nxt.islower():
        return True
    if _NUMBERED_LINE.match(text, line_start) and _WORK_OPENER.match(text, k):
        return False  # "1. Tăng cường phân cấp ...\nTiếp tục đổi mới ...": an item's heading, then its text
    if _OPENER.match(text, k):
        return False  # "... cần công bố dịch sớm\nĐối với các địa phương ...": a headline, then the text
    if _NEWS_LEAD.match(text, k):
        return False  # "... lập chốt kiểm soát nguồn cung cấp cát\nChủ tịch UBND tỉnh X vừa có văn bản ...": the lead
    return nxt.isupper() and (prev == "," or (prev.islower() and i - line_start > 50))


# A news agency's dateline in the text's first line, after the headline run into it: "... sai phạm khu 'đất vàng' Địa
# ốc TPO - UBND thành phố Cần Thơ vừa có công văn ...", "... (QNO) - UBND tỉnh vừa ...": the lead starts there.
AGENCY_DATELINE = re.compile(r"[ \t]+(?:[A-ZĐ]{2,8}(?:\.VN)?|\([A-ZĐ][A-Za-zĐđ.]{1,14}\))[ \t]*[-–][ \t]+(?=[A-ZĐÀ-Ỹ])")


def _paragraph_spans(text: str, mask: bytearray) -> list[tuple[int, int]]:
    """Return the paragraphs: lines joined across the newlines that only wrap them."""
    spans: list[tuple[int, int]] = []
    start = line_start = 0
    first_line = text.find("\n")
    first_line = len(text) if first_line < 0 else first_line
    dateline = AGENCY_DATELINE.search(text, 0, min(first_line, 400))
    if dateline and not mask[dateline.start()] and re.search(r"\w", text[:dateline.start()]):
        spans.append((0, dateline.start()))  # the headline, a paragraph of its own
        start = line_start = dateline.end()
    for m in re.finditer("\n", text):
        i = m.start()
        if i < start:
            continue
        if not _soft_newline(text, i, mask, line_start):
            spans.append((start, i))
            start = i + 1
        line_start = i + 1
    spans.append((start, len(text)))
    return spans


def split_clauses(view: TextView, protected_spans: Iterable[tuple[int, int]],
                  commas: Iterable[int] = ()) -> list[Clause]:
    """Cut the text into clauses, in order; `commas` are commas that also end a clause (", đồng thời Sở X")."""
    mask = _protected(view, protected_spans)
    text = view.text
    extra = sorted(commas)
    clauses: list[Clause] = []
    sentence = 0
    para = 0
    for p_start, p_end in _paragraph_spans(text, mask):
        if not text[p_start:p_end].strip():
            continue
        # Break points: (position where the next piece starts, kind of break).
        breaks: list[tuple[int, int, str]] = []
        for m in _INLINE_ITEM.finditer(text, p_start, p_end):
            if not mask[m.start()]:
                breaks.append((m.start(), m.end(), "sentence"))
        for m in _SENTENCE_END.finditer(text, p_start, p_end):
            dot = m.group().startswith(".") and m.group() != "./."
            if mask[m.start()] or (dot and _is_abbreviation(view, m.start())):
                continue
            if dot and _ITEM_NUMBER.fullmatch(text, p_start, m.start()):
                continue  # "1. Công tác chỉ đạo": the item's number, not a sentence
            rest = text[m.end():p_end].lstrip(" \t\"”’)")
            if rest and not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "-+•(“\"‘"):
                continue
            breaks.append((m.start(), m.end(), "sentence"))
        for m in _GLUED_STOP.finditer(text, p_start, p_end):
            i = m.start()
            # a sentence run into the next one without a space: two lower-case letters, then a word
            # with a capital and lower-case letters ("dầu.Theo đó"), never "TP.HCM", "Tp.HCM", "v.v"
            if (not mask[i] and text[i - 2:i].islower() and text[i + 1].isupper() and text[i + 2].islower()
                    and not _is_abbreviation(view, i)):
                breaks.append((i, i + 1, "sentence"))
        for m in _QUOTE_ATTRIBUTED.finditer(text, p_start, p_end):
            if not mask[m.start()]:  # '"... để nắm tình hình" - đó là chỉ đạo của ...': the quotation ends there
                breaks.append((m.start(), m.end(), "sentence"))
        for i in extra:
            if p_start <= i < p_end and not mask[i]:
                breaks.append((i, i + 1, "clause"))
        for punct in _SEMI_COLON.finditer(text, p_start, p_end):
            i, ch = punct.start(), punct.group()
            if ch == ";" and not mask[i]:
                breaks.append((i, i + 1, "clause"))
            elif ch == ":" and not mask[i]:
                at_end = not text[i + 1:p_end].strip()
                if at_end or _LEADIN_COLON.search(view.fold[max(p_start, i - 30):i]):
                    breaks.append((i, i + 1, "leadin"))
        breaks.sort()
        pos = p_start
        first = True
        after_leadin = False
        pieces: list[tuple[int, int, str]] = []
        for b_start, b_end, kind in breaks:
            if b_start < pos:
                continue
            pieces.append((pos, b_start, kind))
            pos = b_end
        pieces.append((pos, p_end, "sentence"))
        for a, b, kind in pieces:
            a, b, bullet = _trim(view, a, b)
            if b > a and re.search(r"\w", text[a:b]):
                if bullet and not first:
                    sentence += 1
                    first, after_leadin = True, False
                clauses.append(Clause(a, b, para, sentence, first, kind == "leadin", after_leadin, bullet))
                first = False
                if kind == "leadin":
                    after_leadin = True
            if kind == "sentence":
                sentence += 1
                first, after_leadin = True, False
        para += 1
        sentence += 1
    return clauses
