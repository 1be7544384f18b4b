"""Backups: one archive with a manifest; a restore drill into an empty site; a
damaged archive or a site in use is refused before anything is written."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from certificates.models import Certificate
from certificates.signing import SigningKeyring
from courses import services as learning

BASE_DIR = Path(settings.BASE_DIR)
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
# Committed rows: pg_dump and SQLite's backup read what other connections see.
drill = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site_keys(settings, tmp_path):
    settings.CERTIFICATE_KEY_DIR = tmp_path / "keys"
    return settings.CERTIFICATE_KEY_DIR


@pytest.fixture
def certificate(site_keys, make_learner, make_course) -> Certificate:
    """A certificate issued the real way: a learner completes a course."""
    learner, course = make_learner(), make_course(lessons=1)
    learning.enrol(learner, course)
    for lesson in course.lessons():
        learning.record_lesson_complete(learner, lesson.pk)
    certificate = Certificate.objects.get(user=learner)
    assert certificate.pdf_sha256, "the PDF is drawn when the issue commits"
    return certificate


def manage(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run manage.py as an operator would, against another site's settings."""
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(BASE_DIR / "manage.py"), *arguments],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.dev", **env},
        capture_output=True,
        text=True,
        cwd=BASE_DIR,
        check=False,
        timeout=300,
    )


def fresh_site(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
        "CERTIFICATE_KEY_DIR": str(tmp_path / "restored-keys"),
        "LMS_VAR_DIR": str(tmp_path / "restored-var"),
    }


CHECK_CERTIFICATE = """
import hashlib, os
from django.core.files.storage import default_storage
from certificates.verification import find_certificate, judge
certificate = find_certificate(os.environ["CHECK_CODE"])
verdict = judge(certificate)
with default_storage.open(certificate.pdf.name) as pdf:
    data = pdf.read()
print(verdict.integrity, verdict.status, hashlib.sha256(data).hexdigest(), data[:5])
"""


def run_drill(tmp_path: Path, certificate: Certificate, database_url: str) -> None:
    archive = tmp_path / "site.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "Backup written to" in out.getvalue()

    env = fresh_site(tmp_path, database_url)
    restored = manage("restore", str(archive), env=env)
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout

    # The restored site itself judges the old certificate.
    checked = manage(
        "shell",
        "-c",
        CHECK_CERTIFICATE,
        env={**env, "CHECK_CODE": certificate.verification_code},
    )
    assert checked.returncode == 0, checked.stderr
    integrity, status, pdf_sha256, head = checked.stdout.split()[-4:]
    assert (integrity, status) == ("intact", "valid")
    assert pdf_sha256 == certificate.pdf_sha256
    assert head == "b'%PDF-'"

    # And the restored keys alone verify the signature, as an offline checker would.
    keys = SigningKeyring(env["CERTIFICATE_KEY_DIR"])
    assert keys.verify(
        certificate.signed_payload, certificate.signature, certificate.key_id
    )
    restored_pdf = Path(env["MEDIA_ROOT"]) / certificate.pdf.name
    assert hashlib.sha256(restored_pdf.read_bytes()).hexdigest() == (
        certificate.pdf_sha256
    )


@drill
@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite drill runs on SQLite")
def test_restore_drill_on_sqlite(tmp_path, certificate):
    run_drill(tmp_path, certificate, f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    # A copy of the whole database, not only the certificate.
    with sqlite3.connect(tmp_path / "restored.sqlite3") as restored:
        (users,) = restored.execute("SELECT count(*) FROM accounts_user").fetchone()
    assert users >= 1


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL on PostgreSQL")
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs pg_dump")
@drill
def test_restore_drill_on_postgres(tmp_path, certificate):
    import psycopg

    config = connection.settings_dict
    name = f"{config['NAME']}_restored"[:63]
    admin = psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
        url = (
            f"postgres://{config['USER']}{password}@{config['HOST'] or '127.0.0.1'}"
            f":{config['PORT'] or 5432}/{name}"
        )
        run_drill(tmp_path, certificate, url)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@drill
def test_the_archive_lists_every_member_with_its_sha256(tmp_path, certificate):
    path = tmp_path / "site.tar.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    with tarfile.open(path) as archive:
        names = archive.getnames()
        assert names[0] == "manifest.json"
        manifest = json.load(archive.extractfile("manifest.json"))
        for name, entry in manifest["members"].items():
            data = archive.extractfile(name).read()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
    assert set(names[1:]) == set(manifest["members"])
    assert f"media/{certificate.pdf.name}" in manifest["members"]
    assert any(name.startswith("certificate-keys/") for name in names)
    assert manifest["versions"]["django"] and manifest["versions"]["wagtail"]
    assert manifest["versions"]["app"] == "0.1.0"
    assert manifest["migrations"]["courses"].startswith("0")
    assert manifest["created_at"]


def damaged_copies(good: Path, tmp_path: Path) -> dict[str, Path]:
    data = good.read_bytes()
    copies = {"cut short": data[: len(data) // 2], "not an archive": b"hello"}
    # A member whose bytes changed after the manifest was written.
    with tarfile.open(good) as archive:
        members = [(m, archive.extractfile(m).read()) for m in archive.getmembers()]
    rebuilt = io.BytesIO()
    with tarfile.open(fileobj=rebuilt, mode="w:gz") as archive:
        for member, content in members:
            if member.name.startswith("certificate-keys/"):
                content = content.replace(b"-----END", b"-----XND")
            archive.addfile(member, io.BytesIO(content))
    copies["tampered key"] = rebuilt.getvalue()
    paths = {}
    for label, content in copies.items():
        paths[label] = tmp_path / f"{label.replace(' ', '-')}.tar.gz"
        paths[label].write_bytes(content)
    return paths


@drill
def test_a_damaged_archive_is_refused_and_nothing_is_written(
    tmp_path, certificate, settings
):
    good = tmp_path / "site.tar.gz"
    call_command("backup", str(good), stdout=io.StringIO())
    # Restoring "into" an empty media folder and key folder of this site.
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    settings.CERTIFICATE_KEY_DIR = tmp_path / "empty-keys"
    users = certificate.user.__class__.objects.count()
    expected = {
        "cut short": "is not a whole backup archive",
        "not an archive": "is not a whole backup archive",
        "tampered key": "is damaged: its SHA-256 does not match",
    }
    for label, path in damaged_copies(good, tmp_path).items():
        with pytest.raises(CommandError) as refused:
            call_command("restore", str(path))
        message = str(refused.value)
        assert message.startswith("Refused, nothing was restored:"), label
        assert expected[label] in message, (label, message)
        assert not (tmp_path / "empty-media").exists()
        assert not (tmp_path / "empty-keys").exists()
    assert certificate.user.__class__.objects.count() == users


@drill
def test_a_site_in_use_is_not_overwritten(tmp_path, certificate, settings):
    good = tmp_path / "site.tar.gz"
    call_command("backup", str(good), stdout=io.StringIO())
    keys_before = sorted(p.name for p in Path(settings.CERTIFICATE_KEY_DIR).iterdir())
    with pytest.raises(CommandError, match="this site is not empty"):
        call_command("restore", str(good))
    after = sorted(p.name for p in Path(settings.CERTIFICATE_KEY_DIR).iterdir())
    assert after == keys_before
    assert Certificate.objects.filter(pk=certificate.pk).exists()


def test_a_backup_into_a_missing_folder_says_so(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", str(tmp_path / "no-such-folder" / "site.tar.gz"))
    assert not (tmp_path / "no-such-folder").exists()
