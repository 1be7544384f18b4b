"""Verification under load: gunicorn with the production settings against
PostgreSQL, wrk on loopback with 64 connections for 30 s per endpoint, over
20,000 seeded certificates mixed with unknown codes (10%), each endpoint after
5 s of unmeasured load. The database and the Redis database are new each run."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from .results import Metric

ROOT = Path(__file__).resolve().parent.parent
CERTIFICATES = 20_000
CONNECTIONS = 64
DURATION = "30s"
# Unmeasured load first, so that every worker has loaded its code, templates,
# translations and connections, as a server that has been up for a while has.
WARM_UP = "5s"
PORT = 8765
_BENCH = re.compile(r"BENCH (.*)")


def _database_url() -> str:
    return os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_bench"
    )


def _recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _cache_url() -> str:
    return os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/7")


def _empty_cache(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def _environment(var_dir: Path, static_root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": _database_url(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CACHE_URL": _cache_url(),
        # Behind one proxy, as in production; wrk sends X-Forwarded-For.
        "AXES_PROXY_COUNT": "1",
        "LMS_VAR_DIR": str(var_dir),
        "CERTIFICATE_KEY_DIR": str(var_dir / "keys"),
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
    }


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], port: int, workers: int, module: str = "lms.wsgi"
) -> Iterator[str]:
    """Serve the site with gunicorn until the block ends; yields its base URL."""
    server = subprocess.Popen(  # noqa: S603 - gunicorn from our venv
        [
            sys.executable,
            "-m",
            "gunicorn",
            module,
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/healthz")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer at {url}")


def _wrk(codes: Path, suffix: str, duration: str = DURATION) -> dict[str, float]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is missing: run scripts/os-packages.sh")
    output = subprocess.run(  # noqa: S603 - fixed local tool
        [
            wrk,
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{duration}",
            "--timeout",
            "5s",
            "-s",
            str(ROOT / "bench" / "verify.lua"),
            f"http://127.0.0.1:{PORT}",
            "--",
            str(codes),
            suffix,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = _BENCH.search(output)
    if match is None:
        raise RuntimeError(f"wrk printed no figures:\n{output}")
    return {
        key: float(value)
        for key, value in (pair.split("=") for pair in match.group(1).split())
    }


def run() -> list[Metric]:
    metrics: list[Metric] = []
    with tempfile.TemporaryDirectory(prefix="lms-bench-verify-") as folder:
        folder = Path(folder)
        env = _environment(folder / "var", folder / "static")
        _recreate_database(_database_url())
        _empty_cache(_cache_url())
        _manage(env, "migrate", "--noinput")
        _manage(env, "collectstatic", "--noinput")
        codes = folder / "codes.txt"
        _manage(
            env,
            "shell",
            "-c",
            f"from bench.seed import seed_certificates; "
            f"seed_certificates({CERTIFICATES}, {str(codes)!r})",
        )
        workers = 2 * (os.cpu_count() or 1) + 1
        with gunicorn(env, PORT, workers):
            for label, suffix, budget_p99 in (
                ("JSON", ".json", 100),
                ("page", "/", 100),
            ):
                _wrk(codes, suffix, WARM_UP)
                figures = _wrk(codes, suffix)
                rps = figures["requests"] / figures["seconds"]
                metrics += [
                    Metric(
                        f"verification {label}: requests per second",
                        rps,
                        "req/s",
                        1000,
                        "min",
                    ),
                    Metric(
                        f"verification {label}: median latency",
                        figures["p50_us"] / 1000,
                        "ms",
                    ),
                    Metric(
                        f"verification {label}: 99th percentile latency",
                        figures["p99_us"] / 1000,
                        "ms",
                        budget_p99,
                    ),
                    Metric(
                        f"verification {label}: errors (not 200 or 404)",
                        figures["errors"] + figures["socket_errors"],
                        "count",
                        0,
                    ),
                ]
    return metrics
