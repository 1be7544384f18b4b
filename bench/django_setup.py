"""A throw-away Django site for benchmarks: its own database and media folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

BENCH_VAR = Path(__file__).resolve().parent.parent / "var" / "bench"
_ready = False


def setup() -> None:
    """Use a fresh benchmark database (or BENCH_DATABASE_URL) and migrate it."""
    global _ready
    if _ready:
        return
    if BENCH_VAR.exists():
        shutil.rmtree(BENCH_VAR)
    BENCH_VAR.mkdir(parents=True)
    os.environ["LMS_VAR_DIR"] = str(BENCH_VAR)
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="lms-bench-media-")
    os.environ["CERTIFICATE_KEY_DIR"] = str(BENCH_VAR / "keys")
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    _ready = True
