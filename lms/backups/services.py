"""One archive holds the whole site: database, media and certificate signing keys.

``create_backup`` writes ``<dest>.tar.gz`` with ``manifest.json`` first (what,
when, versions, the SHA-256 of every member), then ``database/``,
``certificate-keys/`` and ``media/``. The database is copied first (SQLite's
online backup API, or ``pg_dump``), then the keys and media, so every
certificate in the copy finds its signing key and its PDF.

``restore_backup`` checks the archive whole (readable, every member listed with
the right SHA-256, safe names, the same kind of database) and that the site is
empty before it writes anything.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
import wagtail
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "alliance-learning-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/db.sqlite3"
POSTGRES_MEMBER = "database/postgres.dump"
KEYS_PREFIX = "certificate-keys/"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


def _fill(template: str, params: dict) -> str:
    """A message with its details, in the language active now."""
    return template % params


class BackupError(Exception):
    """A backup that cannot be made or restored; ``message`` says why."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class Site:
    """Where a site keeps its state: what a backup copies and a restore fills."""

    database_alias: str
    media_root: Path | None  # None: media is in object storage (S3)
    key_dir: Path

    @classmethod
    def current(cls) -> Site:
        local = isinstance(default_storage, FileSystemStorage)
        return cls(
            database_alias="default",
            media_root=Path(settings.MEDIA_ROOT) if local else None,
            key_dir=Path(settings.CERTIFICATE_KEY_DIR),
        )


def create_backup(dest: Path, site: Site | None = None) -> tuple[Path, dict]:
    """Write the archive; ``dest`` is a file name or a folder to put it in.

    Returns the archive's path and its manifest.
    """
    site = site or Site.current()
    created = timezone.now()
    if dest.is_dir():
        dest = dest / f"alliance-learning-{created:%Y%m%dT%H%M%SZ}.tar.gz"
    if not dest.parent.is_dir():
        raise BackupError(
            _("the folder %(folder)s does not exist") % {"folder": dest.parent}
        )
    with tempfile.TemporaryDirectory(prefix="backup-") as staging_name:
        staging = Path(staging_name)
        vendor = connections[site.database_alias].vendor
        if vendor == "sqlite":
            _dump_sqlite(site.database_alias, staging / SQLITE_MEMBER)
        elif vendor == "postgresql":
            _dump_postgres(site.database_alias, staging / POSTGRES_MEMBER)
        else:
            raise BackupError(
                _fill(_("%(vendor)s databases cannot be backed up"), {"vendor": vendor})
            )
        # Only finished keys, never a key file still being written.
        _copy_tree(site.key_dir, staging / KEYS_PREFIX, only=_is_key_file)
        if site.media_root is not None:
            _copy_tree(site.media_root, staging / MEDIA_PREFIX)
        manifest = _manifest(staging, site, vendor, created)
        temporary = dest.with_name(dest.name + ".partial")
        with tarfile.open(temporary, "w:gz") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = (
                len(data),
                int(created.timestamp()),
                0o600,
            )
            archive.addfile(info, io.BytesIO(data))
            for name in sorted(manifest["members"]):
                archive.add(staging / name, arcname=name, recursive=False)
        os.replace(temporary, dest)
    return dest, manifest


def restore_backup(source: Path, site: Site | None = None) -> dict:
    """Check ``source`` whole, then fill the empty ``site`` from it.

    Raises ``BackupError`` before writing anything if the archive is damaged,
    for another kind of database, or the site is not empty.
    """
    site = site or Site.current()
    with tempfile.TemporaryDirectory(prefix="restore-") as staging_name:
        staging = Path(staging_name)
        manifest = _unpack_checked(source, staging)
        vendor = connections[site.database_alias].vendor
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                _fill(
                    _(
                        "the archive holds a %(archived)s database, "
                        "but this site uses %(current)s"
                    ),
                    {"archived": manifest["database"]["vendor"], "current": vendor},
                )
            )
        has_media = any(n.startswith(MEDIA_PREFIX) for n in manifest["members"])
        if has_media and site.media_root is None:
            raise BackupError(
                _(
                    "the archive holds media files but this site keeps media in "
                    "object storage; restore the bucket from its own versions"
                )
            )
        _check_empty(site)
        if vendor == "sqlite":
            _load_sqlite(site.database_alias, staging / SQLITE_MEMBER)
        else:
            _load_postgres(site.database_alias, staging / POSTGRES_MEMBER)
        _copy_tree(staging / KEYS_PREFIX, site.key_dir, private=True)
        if site.media_root is not None:
            _copy_tree(staging / MEDIA_PREFIX, site.media_root)
    return manifest


# Checking an archive -----------------------------------------------------------


def _unpack_checked(source: Path, staging: Path) -> dict:
    try:
        with tarfile.open(source, "r:gz") as archive:
            first = archive.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise BackupError(_("the archive does not start with its manifest"))
            manifest = _read_manifest(_member_file(archive, first).read())
            expected = manifest["members"]
            seen: set[str] = set()
            for member in archive:
                if member is first:
                    continue
                name = _safe_name(member)
                if name not in expected or name in seen:
                    raise BackupError(
                        _fill(
                            _("%(member)s is in the archive but not in its manifest"),
                            {"member": name},
                        )
                    )
                seen.add(name)
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with (
                    _member_file(archive, member) as read,
                    open(target, "wb") as write,
                ):
                    while chunk := read.read(CHUNK):
                        digest.update(chunk)
                        write.write(chunk)
                if digest.hexdigest() != expected[name]["sha256"]:
                    raise BackupError(
                        _fill(
                            _("%(member)s is damaged: its SHA-256 does not match"),
                            {"member": name},
                        )
                    )
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(
            _fill(
                _("%(path)s is not a whole backup archive (%(error)s)"),
                {"path": source.name, "error": str(error) or type(error).__name__},
            )
        ) from None
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(
            _fill(_("%(member)s is missing from the archive"), {"member": missing[0]})
        )
    return manifest


def _read_manifest(data: bytes) -> dict:
    try:
        manifest = json.loads(data)
        valid = (
            manifest["format"] == FORMAT
            and manifest["format_version"] == FORMAT_VERSION
            and manifest["database"]["vendor"] in ("sqlite", "postgresql")
            and all(
                isinstance(entry["sha256"], str)
                for entry in manifest["members"].values()
            )
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        valid = False
    if not valid:
        raise BackupError(_("the manifest is damaged or of an unknown format"))
    return manifest


def _member_file(archive: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    """The contents of a regular file in the archive (only those are read)."""
    file = archive.extractfile(member)
    if file is None:
        raise BackupError(
            _fill(
                _("%(member)s has a name or type a backup never holds"),
                {"member": member.name},
            )
        )
    return file


def _safe_name(member: tarfile.TarInfo) -> str:
    path = PurePosixPath(member.name)
    if (
        not member.isfile()
        or path.is_absolute()
        or ".." in path.parts
        or path.parts[0] + "/" not in ("database/", KEYS_PREFIX, MEDIA_PREFIX)
    ):
        raise BackupError(
            _fill(
                _("%(member)s has a name or type a backup never holds"),
                {"member": member.name},
            )
        )
    return str(path)


def _check_empty(site: Site) -> None:
    connection = connections[site.database_alias]
    tables = connection.introspection.table_names()
    found = []
    if tables:
        found.append(_("database tables"))
    if any(site.key_dir.glob("*.pem")):
        found.append(_("signing keys in CERTIFICATE_KEY_DIR"))
    if site.media_root is not None and any(
        path.is_file() for path in site.media_root.rglob("*")
    ):
        found.append(_("files in MEDIA_ROOT"))
    if found:
        raise BackupError(
            _fill(
                _(
                    "this site is not empty (it has %(what)s); restore only into "
                    "a new database, media folder and key folder"
                ),
                {"what": ", ".join(str(item) for item in found)},
            )
        )


# Databases ---------------------------------------------------------------------


def _dump_sqlite(alias: str, target: Path) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing_sqlite(target) as copy:
        # The online backup API: a consistent copy while the site keeps writing.
        connection.connection.backup(copy)


def _load_sqlite(alias: str, source: Path) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    with closing_sqlite(source) as archived:
        archived.backup(connection.connection)


class closing_sqlite:  # noqa: N801 - used as a context manager, like closing()
    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path)

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *exc: object) -> None:
        self.connection.close()


def _postgres_arguments(alias: str) -> tuple[list[str], dict[str, str]]:
    config = connections[alias].settings_dict
    arguments = ["--dbname", config["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if config.get(key):
            arguments += [flag, str(config[key])]
    environ = dict(os.environ)
    if config.get("PASSWORD"):
        environ["PGPASSWORD"] = config["PASSWORD"]
    return arguments, environ


def _dump_postgres(alias: str, target: Path) -> None:
    arguments, environ = _postgres_arguments(alias)
    target.parent.mkdir(parents=True, exist_ok=True)
    _run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target),
            *arguments,
        ],
        environ,
    )


def _load_postgres(alias: str, source: Path) -> None:
    connections[alias].close()
    arguments, environ = _postgres_arguments(alias)
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *arguments,
            str(source),
        ],
        environ,
    )


def _run(command: list[str], environ: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            _fill(_("%(command)s is not installed"), {"command": command[0]})
        )
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
        command, env=environ, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _fill(
                _("%(command)s failed: %(error)s"),
                {"command": command[0], "error": result.stderr.strip()[-500:]},
            )
        )


# Files and the manifest ------------------------------------------------------


def _copy_tree(
    source: Path,
    target: Path,
    only: Callable[[Path], bool] | None = None,
    private: bool = False,
) -> None:
    if not source.is_dir():
        return
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.is_symlink() or (only and not only(path)):
            continue
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        if private:
            target.chmod(0o700)
        shutil.copyfile(path, destination)
        if private:
            destination.chmod(0o600)


def _is_key_file(path: Path) -> bool:
    return re.fullmatch(r"ed25519-\d+\.pem", path.name) is not None


def _manifest(
    staging: Path, site: Site, vendor: str, created: datetime
) -> dict[str, Any]:
    members = {}
    for path in sorted(staging.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256()
            with open(path, "rb") as read:
                while chunk := read.read(CHUNK):
                    digest.update(chunk)
            name = path.relative_to(staging).as_posix()
            members[name] = {"sha256": digest.hexdigest(), "size": path.stat().st_size}
    recorder = MigrationRecorder(connections[site.database_alias])
    migrations: dict[str, str] = {}
    for app, name in recorder.applied_migrations():
        migrations[app] = max(name, migrations.get(app, ""))
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created.isoformat(),
        "versions": {
            "app": _app_version(),
            "django": django.get_version(),
            "wagtail": wagtail.__version__,
        },
        "database": {"vendor": vendor},
        "contents": {
            "database": SQLITE_MEMBER if vendor == "sqlite" else POSTGRES_MEMBER,
            "certificate_keys": sum(n.startswith(KEYS_PREFIX) for n in members),
            "media_files": (
                sum(n.startswith(MEDIA_PREFIX) for n in members)
                if site.media_root is not None
                else "object storage: not in this archive"
            ),
        },
        "migrations": dict(sorted(migrations.items())),
        "members": members,
    }


def _app_version() -> str:
    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    try:
        return tomllib.loads(pyproject.read_text())["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"
