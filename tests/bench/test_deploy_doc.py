"""docs/deploy.md's templates are what bench/cluster runs: they parse, name real settings and real programs.

The failover run itself (bench/cluster: nginx, two gunicorn nodes, kills)
takes minutes and is a benchmark; this only holds the document to what the
run reads from it, so an edit that would break the run fails here first.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench import ROOT, load_script

from config import Config



@pytest.fixture(scope="module")
def cluster():
    return load_script("cluster")


def test_the_environment_file_names_only_settings_the_app_reads(cluster):
    keys = cluster.env_keys(cluster.templates()["tracker.env"])
    assert {"APP_ENV", "SECRET_KEY", "DATABASE_URL", "TRUSTED_PROXIES", "BIND"} <= set(keys)
    assert [k for k in keys if k not in ("APP_ENV", "DATABASE_URL", "BIND") and not hasattr(Config, k)] == []


def test_the_units_start_gunicorn_with_two_workers_and_the_scheduler_alone(cluster):
    units = cluster.templates()
    env = {"BIND": "127.0.0.1:8001"}
    web = cluster.exec_start(units["tracker-web.service"], env)
    scheduler = cluster.exec_start(units["tracker-scheduler.service"], env)
    assert web[0] == str(ROOT / ".venv" / "bin" / "gunicorn") and Path(web[0]).exists()
    assert web[web.index("--workers") + 1] == "2" and web[web.index("--bind") + 1] == "127.0.0.1:8001"
    assert web[-1] == "wsgi:app"
    assert scheduler[1:] == ["--app", "wsgi", "scheduler"] and Path(scheduler[0]).exists()
    assert cluster.unit_setting(units["tracker-scheduler.service"], "Restart") == "always"


def test_the_nginx_site_retries_only_what_is_safe_and_fills_every_placeholder(cluster):
    site = cluster.nginx_site(cluster.templates()["nginx-site"], {
        "NODE_A": "127.0.0.1:8001", "NODE_B": "127.0.0.1:8002", "LISTEN": "127.0.0.1:8443",
        "HTTP_LISTEN": "127.0.0.1:8080", "SERVER_NAME": "localhost", "CERT": "/c.pem", "KEY": "/k.pem"})
    assert "server 127.0.0.1:8001" in site and "server 127.0.0.1:8002" in site
    assert "proxy_next_upstream error timeout" in site and "non_idempotent" not in site
    assert "X-Forwarded-For $remote_addr" in site and "@" not in site.replace("$", "")
