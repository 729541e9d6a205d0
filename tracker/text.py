"""Text helpers: accent folding for Vietnamese search and sorting."""
import unicodedata


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
