#!/usr/bin/env python3
"""Write tracker/rules/vn_public_holidays.json: the `holidays` package's Vietnamese public holidays.

    .venv/bin/python tools/vn_holidays.py [--first 2000] [--last 2045]

The web workers read this file instead of importing the package (~450 modules, ~19 MB each);
tests/rules/test_calendar.py checks it against the package, so run this after upgrading
`holidays` (the test says when).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.rules.calendar import HOLIDAYS_FILE, package_holidays  # noqa: E402

LANGUAGES = ("vi", "en_US")


def build(first: int, last: int) -> dict:
    return {language: {str(year): [[day.isoformat(), name] for day, name in sorted(package_holidays(year, language)
                                                                                   .items())]
                       for year in range(first, last + 1)}
            for language in LANGUAGES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=int, default=2000)
    parser.add_argument("--last", type=int, default=2045)
    args = parser.parse_args()
    HOLIDAYS_FILE.write_text(json.dumps(build(args.first, args.last), ensure_ascii=False, separators=(",", ":"))
                             + "\n", encoding="utf-8")
    print(f"written {HOLIDAYS_FILE.relative_to(ROOT)} ({args.first}-{args.last})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
