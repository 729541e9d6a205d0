"""Full-text search, the pure part: words as indexed, the query's terms, the passage shown.

Both databases index the same words: the text is folded (lower case, no
Vietnamese diacritics, "đ" as "d") and cut into runs of letters and digits
here, in Python, before it is stored and before a query is asked; SQLite's
FTS5 and PostgreSQL's `to_tsvector('simple', ...)` then only split on the
spaces. So "Chuyển đổi số", "chuyen doi so" and "CHUYỂN ĐỔI SỐ" find the
same rows on either database. The passage shown is cut from the text as
written, its matching words marked, everything else escaped.
"""
from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup, escape

from tracker.text import fold

WORD = re.compile(r"[^\W_]+")
MAX_TERMS = 12
MAX_TERM_LENGTH = 60
PASSAGE = 220  # characters of the passage around the first match


def words(text: str | None) -> list[str]:
    """The folded words of `text`, in order: what the index holds."""
    return WORD.findall(fold(text))


def index_form(text: str | None) -> str:
    """`text` as stored for the index: its folded words separated by single spaces."""
    return " ".join(words(text))


def terms(query: str | None) -> list[str]:
    """The query's words (at most MAX_TERMS, each cut to MAX_TERM_LENGTH); [] when it has none."""
    seen: list[str] = []
    for word in words(query):
        word = word[:MAX_TERM_LENGTH]
        if word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


def fts5_query(found: list[str]) -> str:
    """SQLite FTS5 MATCH text: every term, the last one also as a prefix ("ipv" finds "ipv6")."""
    quoted = [f'"{t}"' for t in found]
    quoted[-1] += "*"
    return " ".join(quoted)


def tsquery(found: list[str]) -> str:
    """PostgreSQL to_tsquery('simple', ...) text: every term, the last one also as a prefix."""
    return " & ".join(found[:-1] + [found[-1] + ":*"])


def _matches(word: str, found: list[str]) -> bool:
    folded = fold(word)
    return folded in found or bool(found) and folded.startswith(found[-1])


def passage(text: str | None, found: list[str], width: int = PASSAGE) -> Markup:
    """The passage of `text` around its first matching word, the matching words in <mark>, the rest escaped.

    Without a match (the row matched on a word cut differently), the
    beginning of the text.
    """
    text = " ".join(unicodedata.normalize("NFC", text or "").split())
    spans = [m.span() for m in WORD.finditer(text) if _matches(m.group(), found)]
    start = 0
    if spans:
        first = spans[0][0]
        start = max(0, first - width // 3)
        if start:
            space = text.find(" ", start, first)
            start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    parts: list[str] = ["…" if start else ""]
    at = start
    for s, e in spans:
        if s < start or e > end:
            continue
        parts.append(str(escape(text[at:s])))
        parts.append(f"<mark>{escape(text[s:e])}</mark>")
        at = e
    parts.append(str(escape(text[at:end])))
    if end < len(text):
        parts.append("…")
    return Markup("".join(parts))
