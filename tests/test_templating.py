"""Compiled templates kept as files: written once, loaded by the next app, never a reason to fail."""
from __future__ import annotations

from tests.conftest import ready


def login_page(app) -> bytes:
    for _ in ready(app):
        response = app.test_client().get("/login")
        assert response.status_code == 200
        return response.data
    raise AssertionError("no app context")


def test_a_second_app_loads_the_templates_the_first_compiled(make_app, tmp_path, monkeypatch):
    folder = tmp_path / "template-cache"
    first = login_page(make_app(TEMPLATE_CACHE_FOLDER=str(folder)))
    kept = sorted(path.name for path in folder.iterdir())
    assert kept, "the compiled templates are written"
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700)

    second_app = make_app(TEMPLATE_CACHE_FOLDER=str(folder))
    compiled = []
    original = second_app.jinja_env.compile
    monkeypatch.setattr(second_app.jinja_env, "compile", lambda *a, **kw: compiled.append(a) or original(*a, **kw))
    assert login_page(second_app).replace(b"\n", b"") != b""
    assert compiled == [], "every template came from the files"
    assert sorted(path.name for path in folder.iterdir()) == kept
    assert first.count(b"<form") == login_page(make_app(TEMPLATE_CACHE_FOLDER=str(folder))).count(b"<form")


def test_a_folder_that_cannot_be_written_only_means_compiling(make_app, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert b"<form" in login_page(make_app(TEMPLATE_CACHE_FOLDER=str(blocked / "template-cache")))


def test_a_damaged_file_is_compiled_again(make_app, tmp_path):
    folder = tmp_path / "template-cache"
    login_page(make_app(TEMPLATE_CACHE_FOLDER=str(folder)))
    for path in folder.iterdir():
        path.write_bytes(path.read_bytes()[:40])  # cut inside the code, after Jinja's header
    assert b"<form" in login_page(make_app(TEMPLATE_CACHE_FOLDER=str(folder)))


def test_flask_compile_templates_fills_the_folder_before_any_request(make_app, tmp_path):
    from tests.conftest import flask_command

    folder = tmp_path / "template-cache"
    app = make_app(TEMPLATE_CACHE_FOLDER=str(folder))
    result = flask_command(app, "compile-templates")
    assert result.exit_code == 0, result.output
    count = len(app.jinja_env.list_templates(extensions=("html", "txt")))
    assert result.output == f"{count} templates compiled into {folder}.\n"
    assert len(list(folder.iterdir())) == count

    result = flask_command(make_app(TEMPLATE_CACHE_FOLDER=""), "compile-templates")
    assert result.exit_code == 1 and "TEMPLATE_CACHE_FOLDER is empty" in result.output
