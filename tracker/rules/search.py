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
from functools import lru_cache
from itertools import islice

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


# Whole words only: a Vietnamese word is one short syllable, and a prefix would find far more than
# was asked ("lua" in "luật", "lương") at a far greater cost.

def fts5_query(found: list[str]) -> str:
    """SQLite FTS5 MATCH text: every term, as a whole word (terms are letters and digits: quoting is safe)."""
    return " ".join(f'"{t}"' for t in found)


def tsquery(found: list[str]) -> str:
    """PostgreSQL to_tsquery('simple', ...) text: every term, as a whole word."""
    return " & ".join(found)


def _letter_classes() -> dict[str, str]:
    """Each folded letter -> a regex class of every letter folding to it ("a" -> "[aàáảãạăằ…AÀ…]")."""
    table: dict[str, set[str]] = {}
    for code in [*range(0x30, 0x7B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        ch = chr(code)
        folded = fold(ch)
        if len(folded) == 1 and folded.isascii() and folded.isalnum():
            table.setdefault(folded, set()).add(ch)
    return {letter: "[" + "".join(sorted(chars)) + "]" for letter, chars in table.items()}


_CLASSES = _letter_classes()
_SPACE = re.compile(r"\s+")
MAX_MARKS = 1000  # a long file: its first thousand matches are enough to place the passage


@lru_cache(maxsize=256)
def _pattern(found: tuple[str, ...]) -> re.Pattern:
    """The terms as whole words of the text as written, any case and diacritics ("lua" finds "lửa", "LỤA")."""
    alternatives = sorted(("".join(_CLASSES.get(ch, re.escape(ch)) for ch in term) for term in found),
                          key=len, reverse=True)
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])")


def _best_window(matched: list[tuple[tuple[int, int], str]], reach: int) -> int:
    """Where the passage should start: the matching word followed, within `reach`, by the most distinct terms."""
    best, best_count = matched[0][0][0], 0
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
    """The passage of `text` where most query words meet, the matching words in <mark>, the rest escaped.

    Without a match (the row matched on a word cut differently), the
    beginning of the text. Runs of white space show as one space.
    """
    text = text or ""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    matched = [(m.span(), fold(m.group())) for m in islice(_pattern(tuple(found)).finditer(text), MAX_MARKS)] \
        if found else []
    spans = [span for span, _term in matched]
    start = 0
    if spans:
        first = _best_window(matched, width * 2 // 3)
        start = max(0, first - width // 3)
        if start:
            space = _SPACE.search(text, start, first)
            start = space.end() if space else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    parts: list[str] = ["…" if start else ""]
    at = start
    for s, e in spans:
        if s < start or e > end:
            continue
        parts.append(str(escape(_SPACE.sub(" ", text[at:s]))))
        parts.append(f"<mark>{escape(text[s:e])}</mark>")
        at = e
    parts.append(str(escape(_SPACE.sub(" ", text[at:end]))))
    if end < len(text):
        parts.append("…")
    return Markup("".join(parts).strip())
