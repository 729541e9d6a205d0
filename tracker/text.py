"""Text helpers: accent folding for Vietnamese search and sorting; text fit for a spreadsheet cell."""
import re
import unicodedata

# The statuses as Vietnamese documents name them (exports and reports are in Vietnamese whatever the UI).
STATUS_VI = {
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "in_progress": "Đang thực hiện trong hạn",
    "overdue": "Quá hạn",
    "cancelled": "Đã hủy",
}
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")  # a cell starting so is read as a formula
CELL_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what no worksheet (nor Word document) may hold


def safe_text(value):
    """Text fit for a cell: control characters dropped, formula injection neutralised (a leading apostrophe)."""
    if isinstance(value, str):
        value = CELL_CONTROL.sub("", value)
        if value.startswith(DANGEROUS_START):
            return "'" + value
    return value


def fold(text: str | None) -> str:
    """Return `text` lower-cased without Vietnamese diacritics ("Truyền hình" -> "truyen hinh")."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def like_pattern(query: str) -> str:
    """Return a LIKE pattern matching `query` anywhere in a folded column (escape char `\\`)."""
    folded = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{folded}%"


# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y;
# the letter marks (breve, circumflex, horn, stroke) make new letters, the five tones only
# break ties, in the dictionaries' order: none, grave, acute, hook, tilde, dot below.
_LETTER_MARKS = {"\u0306": "1", "\u0302": "2", "\u031b": "3"}  # ă, â/ê/ô, ơ/ư
_TONES = {"\u0300": "1", "\u0301": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}


def collation_key(text: str | None) -> str:
    """Return a key that sorts Vietnamese words in dictionary order ("Dung" < "Đức" < "Em")."""
    if not text:
        return ""
    letters, tones = [], []
    for ch in unicodedata.normalize("NFD", text.lower()):
        if ch in _LETTER_MARKS and letters:
            letters[-1] = letters[-1][0] + _LETTER_MARKS[ch]
        elif ch in _TONES:
            tones.append(_TONES[ch])
        elif unicodedata.category(ch) == "Mn":
            continue
        elif ch == "đ":
            letters.append("d1")
            tones.append("0")
        elif ch.isspace():
            letters.append(" 0")
        else:
            letters.append(ch + "0")
            tones.append("0")
    return "".join(letters) + "|" + "".join(tones)
