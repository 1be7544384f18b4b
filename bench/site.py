"""A fresh demo site in its own PostgreSQL database, shared by the suites that
seed a large data set (scale, dashboard, operations).

``demo_site`` recreates the database named by ``url_variable`` (or
``default_name``), migrates it, compiles the translations and adds the demo
data; the suite then runs its own code inside Django with ``run_in_django``.
``BENCH_SIZE`` (a fraction, default 1) shrinks the large data sets for trial
runs; the results file records it, so a trial is never mistaken for the
real size.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .verify_load import ROOT, _environment, _manage, _recreate_database


def size() -> float:
    """The share of the full benchmark size to seed (``BENCH_SIZE``)."""
    return float(os.environ.get("BENCH_SIZE", "1"))


def scaled(count: int) -> int:
    return max(1, round(count * size()))


@contextlib.contextmanager
def demo_site(url_variable: str, default_name: str) -> Iterator[dict[str, str]]:
    """Yield the environment of a migrated demo site in a new database."""
    with tempfile.TemporaryDirectory(prefix=f"lms-{default_name}-") as folder:
        path = Path(folder)
        url = os.environ.get(
            url_variable, f"postgres://postgres@127.0.0.1:5432/{default_name}"
        )
        env = {
            **_environment(path / "var", path / "static"),
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(path / "media"),
            "DJANGO_SETTINGS_MODULE": "bench.settings",
        }
        _recreate_database(url)
        _manage(env, "migrate", "--noinput")
        _manage(env, "compile_translations")
        _manage(env, "seed_demo")
        yield env


def run_in_django(env: dict[str, str], code: str) -> str:
    """Run ``code`` in ``manage.py shell`` and return what it printed."""
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,  # (errors go to the terminal)
        text=True,
    ).stdout
