"""A view of the input text that the rules can search, with offsets back to the input.

The rules match on two derived strings of the same length:

- `low`: the NFC text in lower case, accents kept (verbs such as "giao" and
  "giáo" differ only by their accents);
- `fold`: the NFC text in lower case without accents, "đ" as "d" and every
  dash as "-" (unit names are matched this way, so "Sở TT&TT", "SỞ TT&TT"
  and "So TT&TT" are the same).

Both have one character per character of the NFC text, so a match's offsets
are valid in all three; `orig_span` turns them into offsets in the text the
caller passed (which may be decomposed, NFD, as some word processors paste it).
"""
from __future__ import annotations

import re
import unicodedata

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


def _fold_char(ch: str) -> str:
    """Return one lower-case, accent-free character for `ch`."""
    if ch in "đĐ":
        return "d"
    if ch in _DASHES:
        return "-"
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    low = (base or ch).lower()
    return low[0] if low else " "


def fold(text: str) -> str:
    """Return `text` lower-cased and without accents, one character per character."""
    return "".join(_fold_char(c) for c in text)


# Urgency and follow-up words often typed with a wrong tone mark ("Khần trương rà soát ...", "kịp thơi"): `low`
# reads them as meant, so the rules that know the word know the typo (the text and its titles stay as written).
_MEANT = ("khẩn trương", "kịp thời", "tăng cường", "rà soát", "báo cáo")  # not "đôn đốc": "đơn độc" folds the same
_MISTYPED = re.compile(r"(?<![a-z0-9])(?:" + "|".join(fold(w).replace(" ", r"[ \t]+") for w in _MEANT) + r")(?![a-z0-9])")


def _read_as_meant(low: str, folded: str) -> str:
    """Return `low` with the urgency words of `_MEANT` spelt right wherever they are mistyped in their tones."""
    meant = {fold(w): w for w in _MEANT}
    pieces, last = [], 0
    for m in _MISTYPED.finditer(folded):
        word = meant[re.sub(r"[ \t]+", " ", m.group())]
        if low[m.start():m.end()] != word and len(word) == m.end() - m.start():
            pieces += [low[last:m.start()], word]
            last = m.end()
    return low if not pieces else "".join(pieces) + low[last:]


def _lower_char(ch: str) -> str:
    """Return `ch` in lower case as exactly one character."""
    low = ch.lower()
    return low if len(low) == 1 else ch


class TextView:
    """The NFC form of a text with its lower-case and folded twins and an offset map."""

    def __init__(self, original: str) -> None:
        self.original = original
        self._starts: list[int] | None = None  # None: the NFC text is the original, offsets are equal
        self._ends: list[int] | None = None
        if unicodedata.is_normalized("NFC", original):
            self.text = original
        else:
            self.text = self._normalise(original)
        table = {ord(c): _fold_char(c) for c in set(self.text)}
        lower = self.text.lower()
        self.low = lower if len(lower) == len(self.text) else "".join(_lower_char(c) for c in self.text)
        self.fold = self.text.translate(table)
        self.low = _read_as_meant(self.low, self.fold)

    def _normalise(self, original: str) -> str:
        """Return the NFC form of `original`, remembering where each character came from."""
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        i, n = 0, len(original)
        while i < n:
            j = i + 1
            while j < n and unicodedata.combining(original[j]):
                j += 1
            piece = unicodedata.normalize("NFC", original[i:j])
            for ch in piece:
                pieces.append(ch)
                starts.append(i)
                ends.append(j)
            i = j
        self._starts, self._ends = starts, ends
        return "".join(pieces)

    def __len__(self) -> int:
        return len(self.text)

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the NFC text to the same span of the original text."""
        if self._starts is None or self._ends is None:
            return start, end
        if end <= start:
            pos = self._starts[start] if start < len(self._starts) else len(self.original)
            return pos, pos
        return self._starts[start], self._ends[end - 1]
