"""BASE_URL: the public address e-mail links start with.

Production refuses to start without it (as without SECRET_KEY), a malformed
one is refused everywhere, and `make run` derives it from HOST and PORT.
"""
from __future__ import annotations

import importlib
import subprocess
from pathlib import Path

import pytest

from tracker import create_app

ROOT = Path(__file__).resolve().parent.parent


def production(tmp_path, **settings):
    return create_app("production", SECRET_KEY="s" * 64, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.db'}",
                      UPLOAD_FOLDER=str(tmp_path / "uploads"), OUTBOX_FOLDER=str(tmp_path / "outbox"), **settings)


@pytest.mark.parametrize("value", [None, ""])
def test_production_refuses_to_start_without_base_url(tmp_path, monkeypatch, value):
    import config

    if value is None:
        monkeypatch.delenv("BASE_URL", raising=False)
    else:
        monkeypatch.setenv("BASE_URL", value)
    importlib.reload(config)  # the classes read the environment when defined
    try:
        with pytest.raises(RuntimeError, match="BASE_URL must be set in production"):
            create_app(config.ProductionConfig, SECRET_KEY="s" * 64,
                       SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.db'}")
    finally:
        monkeypatch.undo()
        importlib.reload(config)


@pytest.mark.parametrize("value", ["tracker.example.gov.vn", "ftp://tracker.example.gov.vn", "https://",
                                   "https://tracker.example.gov.vn/?a=1", "javascript:alert(1)"])
def test_a_malformed_base_url_is_refused(tmp_path, value):
    with pytest.raises(RuntimeError, match="BASE_URL must be an http"):
        production(tmp_path, BASE_URL=value)
    with pytest.raises(RuntimeError, match="BASE_URL must be an http"):
        create_app("testing", BASE_URL=value)


def test_production_starts_with_base_url_and_links_under_it(tmp_path):
    app = production(tmp_path, BASE_URL="https://tracker.example.gov.vn/")
    with app.app_context():
        from tracker.mail import AppMailer

        assert AppMailer().task_url(7) == "https://tracker.example.gov.vn/tasks/7"


@pytest.mark.parametrize(("env", "expected"), [
    ({}, "http://127.0.0.1:5000"),
    ({"HOST": "10.0.0.5", "PORT": "8080"}, "http://10.0.0.5:8080"),
    ({"HOST": "::1", "PORT": "8080"}, "http://[::1]:8080"),
    ({"HOST": "10.0.0.5", "BASE_URL": "https://tracker.example.gov.vn"}, "https://tracker.example.gov.vn"),
])
def test_development_derives_base_url_from_host_and_port(monkeypatch, env, expected):
    import config

    for name in ("HOST", "PORT", "BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    try:
        importlib.reload(config)
        assert config.DevelopmentConfig.BASE_URL == expected
    finally:
        monkeypatch.undo()
        importlib.reload(config)


def make_run(*args: str, **env: str) -> str:
    """The command `make run` would start the server with (make -n: nothing runs)."""
    import os

    environ = {k: v for k, v in os.environ.items() if k not in ("HOST", "PORT", "BASE_URL")} | env
    out = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, env=environ, capture_output=True, text=True,
                         check=True).stdout
    return next(line for line in out.splitlines() if "flask serve" in line)


def test_make_run_derives_base_url_from_host_and_port():
    assert 'BASE_URL="http://127.0.0.1:5000"' in make_run()
    assert 'BASE_URL="http://10.0.0.5:8080"' in make_run("HOST=10.0.0.5", "PORT=8080")
    assert 'BASE_URL="https://tracker.example.gov.vn"' in make_run(BASE_URL="https://tracker.example.gov.vn")
