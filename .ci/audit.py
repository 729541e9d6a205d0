#!/usr/bin/env python3
"""`make audit`: pip-audit over the pinned requirements, with written reasons for what we accept.

- A known vulnerability fails (exit 1), unless audit-ignore.txt names its id
  with a reason ("ID  reason", one per line; a line without a reason fails).
- pip-audit needs PyPI's vulnerability data. When it cannot get it (no
  network, a mirror without the JSON API, a crash), the audit is reported as
  INCONCLUSIVE and does not fail CI (exit 0), unless AUDIT_STRICT=1.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORE_FILE = ROOT / "audit-ignore.txt"
NOT_AUDITED = "could not be audited"


def read_ignores() -> dict[str, str]:
    ignores: dict[str, str] = {}
    if not IGNORE_FILE.exists():
        return ignores
    for number, line in enumerate(IGNORE_FILE.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
        if not line:
            continue
        vuln_id, _, reason = line.partition(" ")
        if not reason.strip():
            sys.exit(f"audit: {IGNORE_FILE.name}:{number}: {vuln_id} has no written reason; add one or remove it")
        ignores[vuln_id] = reason.strip()
    return ignores


def inconclusive(message: str) -> int:
    print(f"audit: INCONCLUSIVE - {message}")
    print("audit: no vulnerability data was checked; run `make audit` where PyPI is reachable.")
    return 1 if os.environ.get("AUDIT_STRICT") == "1" else 0


def main() -> int:
    ignores = read_ignores()
    pip_audit = Path(sys.executable).parent / "pip-audit"
    command = [str(pip_audit), "-r", str(ROOT / "requirements.txt"), "--format", "json", "--progress-spinner", "off"]
    for vuln_id in ignores:
        command += ["--ignore-vuln", vuln_id]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=ROOT)
    except (OSError, subprocess.TimeoutExpired) as error:
        return inconclusive(f"pip-audit did not run: {error}")
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return inconclusive(f"pip-audit failed (exit {result.returncode}): {last}")
    dependencies = report.get("dependencies", [])
    found = [(d["name"], d["version"], v) for d in dependencies for v in d.get("vulns", [])]
    skipped = [d for d in dependencies if NOT_AUDITED in d.get("skip_reason", "")]
    for name, version, vuln in found:
        aliases = ", ".join(vuln.get("aliases", []))
        fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
        print(f"audit: {name} {version}: {vuln['id']} ({aliases}) - fixed in {fixes}")
    if found:
        print(f"audit: FAILED - {len(found)} known vulnerabilities. Upgrade, or write the id and the reason "
              f"in {IGNORE_FILE.name}.")
        return 1
    if dependencies and len(skipped) == len(dependencies):
        return inconclusive(f"PyPI's vulnerability data answered for none of the {len(dependencies)} packages "
                            f"(\"{skipped[0]['skip_reason']}\")")
    if skipped:
        print(f"audit: warning - {len(skipped)} packages could not be audited: "
              + ", ".join(d["name"] for d in skipped))
    print(f"audit: OK - no known vulnerabilities in {len(dependencies) - len(skipped)} packages"
          + (f" ({len(ignores)} accepted with a written reason in {IGNORE_FILE.name})" if ignores else "") + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())
