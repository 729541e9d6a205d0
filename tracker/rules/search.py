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


def _term(word: str, found: list[str]) -> str | None:
    """The query term `word` matches (the last term also as a prefix), or None."""
    folded = fold(word)
    if folded in found:
        return folded
    return found[-1] if found and folded.startswith(found[-1]) else None


def _best_window(matched: list[tuple[tuple[int, int], str]], reach: int) -> int:
    """Where the passage should start: the matching word followed, within `reach`, by the most distinct terms."""
    best, best_count = matched[0][0][0], 0
    matched = matched[:1000]  # a long file: its first thousand matches are enough to choose from
    for i, ((start, _end), _t) in enumerate(matched):
        terms_near = set()
        for (s, _e), term in matched[i:]:
            if s - start > reach:
                break
            terms_near.add(term)
        if len(terms_near) > best_count:
            best, best_count = start, len(terms_near)
    return best


def passage(text: str | None, found: list[str], width: int = PASSAGE) -> Markup:
    """The passage of `text` around its first matching word, the matching words in <mark>, the rest escaped.

    Without a match (the row matched on a word cut differently), the
    beginning of the text.
    """
    text = " ".join(unicodedata.normalize("NFC", text or "").split())
    matched = [(m.span(), _term(m.group(), found)) for m in WORD.finditer(text)]
    matched = [(span, term) for span, term in matched if term is not None]
    spans = [span for span, _term_ in matched]
    start = 0
    if spans:
        first = _best_window(matched, width * 2 // 3)
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
