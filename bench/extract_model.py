"""The experiment's learned second opinion on the rules: which clause starts a task (see extract_cv.py).

Pure Python (no numpy): a logistic regression over hashed features of each
clause (its first words, the cue words it holds, its place in the text and in
its sentence, the numbering before it, whether it names a unit or a deadline,
past-tense "đã" and forecast "sẽ", the heading it sits under) and, unless left
out, of what the rules decided about it and about the clause before it (a task
starts here, it continues a task, nothing). `bench/extract_cv.py` trains it on
tests/data/conclusions and measures, leave-one-batch-out, whether it helps.
It is not part of the application: leave-one-batch-out found no gain over the
rules alone (README, "Conclusion assistant").
"""
from __future__ import annotations

import math
import re
import zlib
from collections.abc import Sequence

from tracker.rules.extract._deadlines import find_deadline
from tracker.rules.extract._segment import Clause
from tracker.rules.extract._text import TextView

BITS = 18

_CUES = (
    "giao", "yêu cầu", "đề nghị", "chỉ đạo", "cần", "phải", "khẩn trương", "chủ động", "tập trung", "tiếp tục",
    "tăng cường", "đẩy mạnh", "chủ trì", "phối hợp", "đã", "sẽ", "đang", "được", "báo cáo", "trình", "hoàn thành",
    "kết luận", "thông báo", "theo", "ảnh", "cho biết", "nhấn mạnh", "có trách nhiệm", "tham mưu", "rà soát",
    "kiểm tra", "triển khai", "thực hiện", "xây dựng", "hoàn thiện", "đôn đốc", "quyết định", "kế hoạch",
    "văn bản", "công văn", "hội nghị", "cuộc họp", "dự", "chủ tịch", "phó chủ tịch", "thủ tướng", "người dân",
    "cử tri", "doanh nghiệp", "mục tiêu", "nhằm", "để", "đồng thời", "trước ngày", "thường xuyên", "kịp thời",
    "nghiêm túc", "chịu trách nhiệm", "có hiệu lực", "ghi nhận", "đánh giá", "biểu dương", "kết quả", "năm",
    "tỷ", "%", "tổ chức", "đảm bảo", "bảo đảm", "không để", "các sở", "các huyện", "ubnd", "sở", "thành phố",
    "huyện", "xã", "nghiên cứu", "đề xuất", "kiến nghị", "lưu ý", "trong đó", "cụ thể", "như sau", "gồm",
)
_CUE_RES = [(c, re.compile(r"(?<!\w)" + re.escape(c) + r"(?!\w)")) for c in _CUES]
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


def _bucket(n: int, edges: Sequence[int]) -> int:
    """Return the index of the first edge n is below, or len(edges)."""
    for i, edge in enumerate(edges):
        if n < edge:
            return i
    return len(edges)


def _is_heading(view: TextView, c: Clause) -> bool:
    """A heading: mostly capitals, or a short numbered line."""
    letters = [ch for ch in view.text[c.start:c.end] if ch.isalpha()]
    upper = len(letters) >= 4 and sum(ch.isupper() for ch in letters) > 0.7 * len(letters)
    return upper or (c.bullet and len(view.text[c.start:c.end].split()) <= 6 and not c.ends_leadin)


def features(view: TextView, clauses: Sequence[Clause], index: int, mention_starts: Sequence[int],
             rule_state: Sequence[str], heading: str, doc: dict[str, str]) -> list[str]:
    """Return the feature names of clause `index` (rule_state: "start", "inside" or "none" per clause)."""
    c = clauses[index]
    low = view.low[c.start:c.end]
    words = _WORDS.findall(low)
    out = ["bias", f"w1:{' '.join(words[:1])}", f"w2:{' '.join(words[:2])}", f"w3:{' '.join(words[:3])}"]
    for cue, rx in _CUE_RES:
        m = rx.search(low)
        if m:
            out.append(f"cue:{cue}")
            if m.start() < 40:
                out.append(f"cue40:{cue}")
    units = [s for s in mention_starts if c.start <= s < c.end]
    out.append(f"units:{_bucket(len(units), (1, 2, 4))}")
    if units and units[0] - c.start < 25:
        out.append("unit_early")
    found = find_deadline(view.fold[c.start:c.end], None, None)
    if found is not None:
        out.append("deadline_ongoing" if found.ongoing else "deadline")
    out.append(f"len:{_bucket(len(words), (3, 6, 12, 25, 50))}")
    out.append(f"pos:{int(10 * c.start / max(1, len(view.text)))}")
    out.append(f"idx:{_bucket(index, (1, 2, 4, 8, 16, 32))}")
    for flag in ("bullet", "first_in_sentence", "ends_leadin", "after_leadin"):
        if getattr(c, flag):
            out.append(flag)
    if _is_heading(view, c):
        out.append("heading")
    prev = clauses[index - 1] if index else None
    if prev is not None:
        if prev.ends_leadin:
            out.append("prev_leadin")
        if prev.sentence == c.sentence:
            out.append("same_sentence")
    if "đã" in words[:6] and not {"giao", "yêu", "đề", "chỉ"} & set(words[:3]):
        out.append("past_early")
    if "“" in low or '"' in low:
        out.append("quote")
    if heading:
        out.append(f"hd:{heading}")
    state = rule_state[index]
    before = rule_state[index - 1] if index else "begin"
    out.append(f"r:{state}")
    out.append(f"r:{state}|pr:{before}")
    out.append(f"r:{state}|w1:{' '.join(words[:1])}")
    out.append(f"r:{state}|first:{c.first_in_sentence}")
    for key, value in doc.items():
        out.append(f"doc:{key}:{value}")
        out.append(f"r:{state}|doc:{key}:{value}")
    return out


def clause_rows(view: TextView, clauses: Sequence[Clause], mention_starts: Sequence[int],
                rule_spans: Sequence[tuple[int, int]], with_rules: bool = True,
                ) -> tuple[list[list[str]], list[str], list[int]]:
    """Return the features of every clause, the rules' state of each and, for each rule span, the index of the
    clause it starts in (spans in NFC offsets)."""
    state = ["none"] * len(clauses)
    starts_at: list[int] = []
    for a, b in rule_spans:
        first = next((i for i, c in enumerate(clauses) if c.start <= a < c.end), None)
        if first is None:
            first = next((i for i, c in enumerate(clauses) if c.start >= a), len(clauses) - 1)
        starts_at.append(first)
        for i, c in enumerate(clauses):
            if c.start < b and a < c.end and state[i] == "none":
                state[i] = "inside"
        if clauses:
            state[first] = "start"
    heading = ""
    has_leadin = bool(re.search(r"(?:kết luận|ý kiến chỉ đạo|chỉ đạo|như sau)\s*:", view.low))
    doc = {"tasks": str(_bucket(len(rule_spans), (1, 2, 4, 8))), "leadin": str(has_leadin),
           "size": str(_bucket(len(view.text), (800, 2000, 5000)))}
    rows = []
    seen = state if with_rules else ["none"] * len(clauses)
    if not with_rules:
        doc.pop("tasks")
    for i, c in enumerate(clauses):
        rows.append(features(view, clauses, i, mention_starts, seen, heading, doc))
        if _is_heading(view, c):
            heading = " ".join(_WORDS.findall(view.low[c.start:c.end])[:2])
    return rows, state, starts_at


def _index(name: str) -> int:
    return zlib.crc32(name.encode("utf-8")) & ((1 << BITS) - 1)


def hashed(names: Sequence[str]) -> list[int]:
    """Return the hashed indices of feature names (repeats kept once)."""
    return sorted({_index(n) for n in names})


def probability(weights: dict[int, float], indices: Sequence[int]) -> float:
    """Return P(a task starts in this clause)."""
    z = sum(weights.get(i, 0.0) for i in indices)
    z = max(-30.0, min(30.0, z))
    return 1.0 / (1.0 + math.exp(-z))


def train(rows: Sequence[Sequence[int]], labels: Sequence[int], epochs: int = 12, rate: float = 0.2,
          l2: float = 1e-4) -> dict[int, float]:
    """Fit a logistic regression by stochastic gradient descent in a fixed order; return the weights averaged
    over the second half of the epochs."""
    w: dict[int, float] = {}
    total: dict[int, float] = {}
    order = sorted(range(len(rows)), key=lambda k: zlib.crc32(str(k).encode()))
    averaged = 0
    for epoch in range(epochs):
        step = rate / (1 + 0.5 * epoch)
        for k in order:
            x = rows[k]
            g = labels[k] - probability(w, x)
            for i in x:
                w[i] = w.get(i, 0.0) * (1 - step * l2) + step * g
        if epoch >= epochs // 2:
            averaged += 1
            for i, v in w.items():
                total[i] = total.get(i, 0.0) + v
    return {i: v / averaged for i, v in total.items()}
