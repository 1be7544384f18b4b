"""scripts/os-packages.sh: `make run` gets what the running site needs (the
certificate fonts), `make test` and `make bench` their own tools on top.

Run on a machine that lacks every package (an empty PATH and font folder)
and, if the suite runs as root, as an unprivileged user, so that the script
only names what to install and never installs anything."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "os-packages.sh"
MAKEFILE = Path(settings.BASE_DIR) / "Makefile"
BASH = shutil.which("bash")


def missing_packages(mode: str, tmp_path: Path) -> tuple[int, str]:
    bare = tmp_path / "bin"
    bare.mkdir(exist_ok=True)
    for tool in ("id",):  # all the script needs besides bash's built-ins
        target = bare / tool
        if not target.exists():
            target.symlink_to(shutil.which(tool))
    command = [BASH, str(SCRIPT), mode]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("runs as root without setpriv to drop privileges")
        command = [
            shutil.which("setpriv"),
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
        ]
        command += [BASH, str(SCRIPT), mode]
    result = subprocess.run(  # noqa: S603 - our own script
        command,
        env={"PATH": str(bare), "NOTO_FONT_DIR": str(tmp_path / "no-fonts")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, result.stderr


def named(stderr: str) -> set[str]:
    line = re.search(r"install these packages first: (.*)", stderr).group(1)
    return set(line.split())


def test_make_run_installs_the_certificate_fonts_and_nothing_for_tests(tmp_path):
    code, stderr = missing_packages("run", tmp_path)
    assert code == 1
    assert named(stderr) == {"fonts-noto-core"}
    assert "sudo apt-get install fonts-noto-core" in stderr


def test_make_test_adds_the_test_tools(tmp_path):
    code, stderr = missing_packages("test", tmp_path)
    assert code == 1
    assert named(stderr) == {
        "fonts-noto-core",
        "chromium",
        "poppler-utils",
        "zbar-tools",
        "qpdf",
    }


def test_make_bench_adds_the_browser_and_load_generator(tmp_path):
    code, stderr = missing_packages("bench", tmp_path)
    assert code == 1
    assert named(stderr) == {"fonts-noto-core", "chromium", "wrk"}


def test_an_unknown_mode_is_refused(tmp_path):
    code, stderr = missing_packages("everything", tmp_path)
    assert code == 2
    assert "Usage" in stderr


def test_each_make_target_asks_for_its_own_packages():
    makefile = MAKEFILE.read_text()
    for target, mode in (("run", "run"), ("test", "test"), ("bench", "bench")):
        rule = re.search(rf"^{target}:(.*)$", makefile, re.MULTILINE).group(1)
        assert f"os-packages-{mode}" in rule.split()
        assert f"scripts/os-packages.sh {mode}" in makefile
