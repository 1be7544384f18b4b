import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.db import DatabaseError
from django.utils.module_loading import import_string

from lms.settings import environment

BASE_DIR = Path(__file__).resolve().parent.parent.parent


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] is False


def test_database_defaults_to_sqlite_and_reads_database_url(tmp_path):
    default = environment.databases({}, tmp_path / "db.sqlite3")["default"]
    assert default["ENGINE"] == "django.db.backends.sqlite3"
    assert default["NAME"] == str(tmp_path / "db.sqlite3")
    postgres = environment.databases(
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/lms"}, tmp_path / "x"
    )["default"]
    assert postgres["ENGINE"] == "django.db.backends.postgresql"
    assert postgres["NAME"] == "lms"
    assert postgres["CONN_HEALTH_CHECKS"] is True


def test_cache_is_local_memory_by_default_and_redis_by_url():
    assert "LocMemCache" in environment.caches({})["default"]["BACKEND"]
    redis = environment.caches({"CACHE_URL": "redis://127.0.0.1:6379/2"})["default"]
    assert redis["BACKEND"] == "lms.cache.RedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/2"


def test_email_is_console_by_default_and_smtp_by_url():
    assert environment.email({})["EMAIL_BACKEND"].endswith("console.EmailBackend")
    smtp = environment.email({"EMAIL_URL": "smtp+tls://u:p@mail.example.org:587"})
    assert smtp["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert smtp["EMAIL_HOST"] == "mail.example.org"
    assert smtp["EMAIL_USE_TLS"] is True


def test_bad_boolean_is_refused_with_its_name():
    with pytest.raises(environment.ConfigurationError, match="DEBUG"):
        environment.Env({"DEBUG": "maybe"}).bool("DEBUG", default=False)


def test_booleans_numbers_and_lists_are_read_by_django_environ():
    env = environment.Env(
        {
            "DEBUG": "Yes",
            "SECURE_SSL_REDIRECT": "off",
            "VERIFY_MISS_LIMIT": "35",
            "WEB_CONCURRENCY": "",
            "ALLOWED_HOSTS": "learn.example.org, 10.0.0.5 ,",
            "CSP_EMBED_SOURCES": "",
        }
    )
    assert env.bool("DEBUG", default=False) is True
    assert env.bool("SECURE_SSL_REDIRECT", default=True) is False
    assert env.bool("SESSION_COOKIE_SECURE", default=True) is True
    assert env.int("VERIFY_MISS_LIMIT", default=20) == 35
    # Set to nothing counts as unset for a number; an empty list stays empty.
    assert env.int("WEB_CONCURRENCY", default=0) == 0
    assert env.list("ALLOWED_HOSTS", default=[]) == ["learn.example.org", "10.0.0.5"]
    assert env.list("CSP_EMBED_SOURCES", default=["https://x.example"]) == []
    assert env.list("CSRF_TRUSTED_ORIGINS", default=["https://a.example"]) == [
        "https://a.example"
    ]


def test_a_number_that_is_not_whole_is_refused_with_its_name():
    with pytest.raises(environment.ConfigurationError, match="VERIFY_MISS_LIMIT"):
        environment.Env({"VERIFY_MISS_LIMIT": "1.5"}).int(
            "VERIFY_MISS_LIMIT", default=20
        )


def test_files_use_local_storage_by_default():
    config = environment.storages({})
    assert config["default"]["BACKEND"].endswith("FileSystemStorage")


def test_files_go_to_any_s3_compatible_store_when_a_bucket_is_named(s3_server):
    config = environment.storages(
        {
            "AWS_STORAGE_BUCKET_NAME": "lms-media",
            "AWS_S3_ENDPOINT_URL": s3_server,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_S3_REGION_NAME": "us-east-1",
        }
    )["default"]
    storage = import_string(config["BACKEND"])(**config["OPTIONS"])
    name = storage.save("certificates/example.txt", ContentFile(b"issued"))

    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    stored = client.get_object(Bucket="lms-media", Key=name)["Body"].read()
    assert stored == b"issued"
    assert storage.open(name).read() == b"issued"


def test_development_secret_key_is_made_once_and_kept(tmp_path):
    key_file = tmp_path / "secret"
    first = environment.development_secret_key(key_file)
    assert len(first) >= 50
    assert environment.development_secret_key(key_file) == first
    assert oct(key_file.stat().st_mode)[-3:] == "600"


def _run_manage(args, env_overrides):
    env = {
        key: value for key, value in os.environ.items() if key != "DJANGO_SECRET_KEY"
    }
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "production-only-secret-for-the-check-41z",
    "ALLOWED_HOSTS": "learn.example.org",
    # The check only reads the setting; nothing connects to this Redis.
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}


def test_production_settings_pass_the_deployment_checklist():
    result = _run_manage(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deployment_check_fails_when_each_process_would_count_limits_alone():
    per_process = {**PRODUCTION, "CACHE_URL": "", "WEB_CONCURRENCY": ""}
    result = _run_manage(["check", "--deploy"], per_process)
    assert result.returncode != 0
    assert "lms.E001" in result.stderr
    assert "CACHE_URL" in result.stderr
    one_process = {**per_process, "WEB_CONCURRENCY": "1"}
    result = _run_manage(["check", "--deploy", "--fail-level", "WARNING"], one_process)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _run_manage(
        ["check"], {"DJANGO_SETTINGS_MODULE": "lms.settings.production"}
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
