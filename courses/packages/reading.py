"""Check a course package completely before anything in it is written.

The zip is judged with the H5P validator's helpers (entry count and table size
from the end record, then every entry's name, kind, place, size and compression
ratio from the central directory), with this format's own limits and messages.
Then the manifest's schema and version, every cross-reference in it, every file's
SHA-256, each image, and each H5P activity through the H5P validator.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from pydantic import ValidationError
from wagtail.images.fields import get_allowed_image_extensions

from content.h5p import H5PLimits, H5PValidationError, validate_h5p_package
from content.h5p.archive import open_archive, read_entry
from content.h5p.errors import FileSize
from content.h5p.errors import gettext_noop as _
from content.h5p.paths import check_entry_name, file_extension
from content.models import H5PLibrary
from content.services import rejection_message

from .archive import (
    COURSE_PACKAGE_LIMITS,
    check_ends_at_end_record,
    check_entries,
    entry_sha256,
    outside_media,
    read_bytes,
    sha256_of,
    spooled_entry,
    zip_fault,
)
from .consistency import check_references
from .errors import CoursePackageError
from .manifest import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST_NAME,
    MEDIA_FOLDER,
    Manifest,
)

__all__ = ["COURSE_PACKAGE_LIMITS", "CheckedPackage", "check_course_package"]


@dataclass
class CheckedPackage:
    """A package that passed every check; its files are read from ``archive``."""

    manifest: Manifest
    archive: zipfile.ZipFile
    sha256: str
    entries: dict[str, zipfile.ZipInfo] = field(default_factory=dict)

    @contextmanager
    def open_file(self, name: str) -> Iterator[BinaryIO]:
        with read_entry(self.archive, self.entries[name]) as reader:
            yield reader


def check_course_package(
    fileobj: BinaryIO, limits: H5PLimits = COURSE_PACKAGE_LIMITS
) -> CheckedPackage:
    """Check ``fileobj`` (seekable) and return it opened; raise
    ``CoursePackageError`` naming the first fault. The caller closes
    ``archive``."""
    size = fileobj.seek(0, io.SEEK_END)
    fileobj.seek(0)
    try:
        archive = open_archive(fileobj, limits)
    except H5PValidationError as error:
        raise zip_fault(error, limits) from error
    try:
        check_ends_at_end_record(fileobj, size)
        entries = check_entries(archive, size, limits)
        manifest = _read_manifest(archive, entries, limits)
        check_references(manifest)
        _check_files(archive, entries, manifest, limits)
        checked = CheckedPackage(
            manifest=manifest,
            archive=archive,
            sha256=sha256_of(fileobj),
            entries=entries,
        )
    except BaseException:
        archive.close()
        raise
    return checked


def _read_manifest(
    archive: zipfile.ZipFile, entries: dict[str, zipfile.ZipInfo], limits: H5PLimits
) -> Manifest:
    info = entries.get(MANIFEST_NAME)
    if info is None:
        raise CoursePackageError(
            "missing_manifest",
            _(
                "The package has no manifest.json at its top level, so it is not a "
                "course package exported by this platform."
            ),
        )
    if info.file_size > limits.max_json_bytes:
        raise CoursePackageError(
            "file_too_large",
            _("manifest.json is %(size)s; it may be at most %(limit)s."),
            size=FileSize(info.file_size),
            limit=FileSize(limits.max_json_bytes),
        )
    try:
        data = json.loads(read_bytes(archive, info).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise CoursePackageError(
            "bad_manifest",
            _("manifest.json is not valid JSON (%(detail)s)."),
            detail=str(error),
        ) from error
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise CoursePackageError(
            "bad_manifest",
            _(
                "manifest.json does not say it is a course package "
                '("format": "%(format)s").'
            ),
            format=FORMAT_NAME,
        )
    if data.get("format_version") != FORMAT_VERSION:
        raise CoursePackageError(
            "unknown_version",
            _(
                "The package is in format version %(version)s; this site reads "
                "version %(supported)s only. Export it again from a site running "
                "the same version of the platform."
            ),
            version=str(data.get("format_version"))[:20],
            supported=FORMAT_VERSION,
        )
    try:
        return Manifest.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise CoursePackageError(
            "bad_manifest",
            _("manifest.json is not valid at %(where)s: %(problem)s."),
            where=where,
            problem=first["msg"],
        ) from error


def _check_files(
    archive: zipfile.ZipFile,
    entries: dict[str, zipfile.ZipInfo],
    manifest: Manifest,
    limits: H5PLimits,
) -> None:
    listed = manifest.files
    for name in listed:
        try:
            check_entry_name(name)
        except H5PValidationError as error:
            raise zip_fault(error, limits) from error
        if not name.startswith(MEDIA_FOLDER):
            raise outside_media(name)
    referenced = [
        *((record.file, "image") for record in manifest.images),
        *((record.file, "document") for record in manifest.documents),
        *((record.file, "h5p") for record in manifest.h5p_activities),
    ]
    for name, _kind in referenced:
        if name not in listed:
            raise CoursePackageError(
                "unlisted_file",
                _('manifest.json uses "%(name)s" but gives no SHA-256 for it.'),
                name=name,
            )
    for name in entries:
        if name != MANIFEST_NAME and name not in listed:
            raise CoursePackageError(
                "unlisted_file",
                _('The package holds "%(name)s", which manifest.json does not list.'),
                name=name,
            )
    for name, expected in listed.items():
        if name not in entries:
            raise CoursePackageError(
                "missing_file",
                _('The package lacks "%(name)s", which manifest.json lists.'),
                name=name,
            )
        if entry_sha256(archive, entries[name]) != expected:
            raise CoursePackageError(
                "hash_mismatch",
                _(
                    'The file "%(name)s" does not match the SHA-256 in manifest.json: '
                    "it was changed or damaged after export."
                ),
                name=name,
            )
    image_extensions = set(get_allowed_image_extensions())
    for record in manifest.images:
        _check_extension(record.filename, image_extensions)
        _check_image(archive, entries[record.file], record.file)
    document_extensions = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None)
    for record in manifest.documents:
        if document_extensions is not None:
            _check_extension(record.filename, set(document_extensions))
    installed = set(
        H5PLibrary.objects.values_list("machine_name", "major_version", "minor_version")
    )
    for record in manifest.h5p_activities:
        with spooled_entry(archive, entries[record.file]) as spooled:
            try:
                validate_h5p_package(spooled, installed_libraries=installed).close()
            except H5PValidationError as error:
                raise CoursePackageError(
                    "bad_h5p",
                    _('The H5P activity "%(title)s" (%(name)s) was refused: %(fault)s'),
                    title=record.title,
                    name=record.file,
                    fault=_H5PFault(error),
                ) from error


class _H5PFault:
    def __init__(self, error: H5PValidationError) -> None:
        self.error = error

    def __str__(self) -> str:
        return rejection_message(self.error)


def _check_extension(filename: str, allowed: set[str]) -> None:
    extension = file_extension(filename)
    if extension not in allowed:
        raise CoursePackageError(
            "forbidden_extension",
            _('The file "%(name)s" is of a type this site does not accept.'),
            name=filename,
        )


def _check_image(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    import willow
    from willow.image import UnrecognisedImageFormatError

    with spooled_entry(archive, info) as spooled:
        try:
            willow.Image.open(spooled).get_size()
        except (
            UnrecognisedImageFormatError,
            OSError,
            ValueError,
            SyntaxError,
        ) as error:
            raise CoursePackageError(
                "bad_image",
                _('The image "%(name)s" cannot be read as an image.'),
                name=name,
            ) from error
