"""`make audit` (.ci/audit.py): findings fail, written reasons excuse, an unreachable service only warns."""
from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def audit(monkeypatch, tmp_path):
    spec = importlib.util.spec_from_file_location("ci_audit", ROOT / ".ci" / "audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "IGNORE_FILE", tmp_path / "audit-ignore.txt")
    calls = []

    def answer(report=None, returncode=0, stderr=""):
        def run(command, **_kwargs):
            calls.append(command)
            stdout = json.dumps(report) if report is not None else ""
            return subprocess.CompletedProcess(command, returncode, stdout, stderr)

        monkeypatch.setattr(module.subprocess, "run", run)

    module.answer, module.calls = answer, calls
    return module


VULN = {"id": "GHSA-aaaa-bbbb-cccc", "aliases": ["CVE-2099-1"], "fix_versions": ["9.9"], "description": "x"}


def test_a_known_vulnerability_fails(audit, capsys):
    audit.answer({"dependencies": [{"name": "flask", "version": "3.1.3", "vulns": [VULN]},
                                   {"name": "jinja2", "version": "3.1.6", "vulns": []}]}, returncode=1)
    assert audit.main() == 1
    out = capsys.readouterr().out
    assert "flask 3.1.3: GHSA-aaaa-bbbb-cccc (CVE-2099-1) - fixed in 9.9" in out and "FAILED" in out


def test_written_reasons_are_passed_to_pip_audit(audit, capsys):
    audit.IGNORE_FILE.write_text("# comment\nGHSA-aaaa-bbbb-cccc  only the CLI is affected; we do not ship it\n")
    audit.answer({"dependencies": [{"name": "flask", "version": "3.1.3", "vulns": []}]})
    assert audit.main() == 0
    assert audit.calls[0][-2:] == ["--ignore-vuln", "GHSA-aaaa-bbbb-cccc"]
    assert "1 accepted with a written reason" in capsys.readouterr().out


def test_an_ignore_without_a_reason_is_refused(audit):
    audit.IGNORE_FILE.write_text("GHSA-aaaa-bbbb-cccc\n")
    with pytest.raises(SystemExit, match="has no written reason"):
        audit.main()


def test_an_unreachable_service_warns_without_failing_unless_strict(audit, capsys, monkeypatch):
    skipped = {"dependencies": [{"name": "flask", "skip_reason": "Dependency not found on PyPI and could not be "
                                                                 "audited: flask (3.1.3)"}]}
    audit.answer(skipped)
    assert audit.main() == 0
    assert "INCONCLUSIVE" in capsys.readouterr().out
    audit.answer(None, returncode=1, stderr="requests.exceptions.ConnectionError: no route to host")
    assert audit.main() == 0
    assert "ConnectionError" in capsys.readouterr().out
    monkeypatch.setenv("AUDIT_STRICT", "1")
    assert audit.main() == 1
