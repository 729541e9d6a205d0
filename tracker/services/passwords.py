"""Password policy (OWASP ASVS level 2): length, not common, not the username.

No composition rules: length and a deny-list do the work.
"""
from __future__ import annotations

MIN_LENGTH = 8
MAX_LENGTH = 128

# The most common passwords, plus local favourites; extended by the hardening work.
COMMON = frozenset("""
123456 123456789 12345678 1234567890 password password1 qwerty qwerty123 abc123 111111 123123 000000
11111111 iloveyou 1q2w3e4r 1q2w3e4r5t qwertyuiop 12341234 88888888 66666666 87654321 654321 123321
admin123 administrator welcome welcome1 letmein monkey dragon football baseball sunshine princess
passw0rd p@ssw0rd p@ssword matkhau matkhau123 matkhau1 admin@123 abcd1234 a123456789 zxcvbnm
vietnam vietnam1 hanoi123 saigon123 anhyeuem 12345679 147258369 123456a 123456aa
""".split())


def password_problems(password: str, username: str = "") -> list[str]:
    """Return the policy problems of `password` as codes ([] when acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append("too_short")
    if len(password) > MAX_LENGTH:
        problems.append("too_long")
    lowered = password.lower()
    if lowered in COMMON:
        problems.append("too_common")
    if username and lowered == username.lower():
        problems.append("same_as_username")
    return problems
