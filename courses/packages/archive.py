"""Zip-level checks of a course package, with the H5P validator's helpers.

Entry count and table size from the end record, then every entry's name, kind
(no links, no encryption), place and sizes from the central directory, without
inflating anything; this format's own limits and messages.
"""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from content.h5p import H5PLimits, H5PValidationError
from content.h5p.archive import check_entry, read_entry
from content.h5p.errors import Count, FileSize
from content.h5p.errors import gettext_noop as _

from .errors import CoursePackageError
from .manifest import MANIFEST_NAME, MEDIA_FOLDER

MIB = 1024 * 1024


# A course is a handful of H5P packages (each at most 200 MB), images and PDFs.
COURSE_PACKAGE_LIMITS = H5PLimits(
    max_file_bytes=200 * MIB,
    max_total_bytes=1024 * MIB,
    max_entries=5_000,
    max_json_bytes=32 * MIB,
)


CHUNK = 1024 * 1024


def check_ends_at_end_record(fileobj: BinaryIO, size: int) -> None:
    """Refuse a file that does not end where its zip end record says.

    A package cut short can still end in the end record of a zip stored inside
    it (an .h5p file), which zipfile would happily read as the whole package.
    """
    fileobj.seek(0)
    end_record = zipfile._EndRecData(fileobj)
    fileobj.seek(0)
    if end_record is None:
        raise CoursePackageError("not_zip", ZIP_FAULTS["not_zip"])
    end = (
        end_record[zipfile._ECD_LOCATION]
        + zipfile.sizeEndCentDir
        + len(end_record[zipfile._ECD_COMMENT])
    )
    if end != size:
        raise CoursePackageError("not_zip", ZIP_FAULTS["not_zip"])


def check_entries(
    archive: zipfile.ZipFile, archive_size: int, limits: H5PLimits
) -> dict[str, zipfile.ZipInfo]:
    files: dict[str, zipfile.ZipInfo] = {}
    total_size = total_compressed = 0
    seen: set[str] = set()
    for info in archive.infolist():
        try:
            check_entry(info, archive_size, limits)
        except H5PValidationError as error:
            raise zip_fault(error, limits) from error
        name = info.filename
        if name.casefold() in seen:
            raise CoursePackageError(
                "duplicate_entry",
                _('The package holds "%(name)s" more than once.'),
                name=name,
            )
        seen.add(name.casefold())
        total_size += info.file_size
        total_compressed += info.compress_size
        if total_size > limits.max_total_bytes:
            raise CoursePackageError(
                "package_too_large",
                _(
                    "The package unpacks to more than %(limit)s, the limit for a "
                    "course."
                ),
                limit=FileSize(limits.max_total_bytes),
            )
        if info.is_dir():
            continue
        if name != MANIFEST_NAME and not name.startswith(MEDIA_FOLDER):
            raise outside_media(name)
        files[name] = info
    if total_size > limits.ratio_checked_above_bytes and (
        total_size > limits.max_compression_ratio * total_compressed
    ):
        raise CoursePackageError(
            "compression_ratio",
            _(
                "The package would unpack to more than %(ratio)s times its packed "
                "size; it looks like a zip bomb and was not unpacked."
            ),
            ratio=limits.max_compression_ratio,
        )
    return files


def outside_media(name: str) -> CoursePackageError:
    return CoursePackageError(
        "path_escape",
        _(
            'The package holds "%(name)s" outside its media folder; a course package '
            "holds only manifest.json and files under media/."
        ),
        name=name,
    )


ZIP_FAULTS = {
    "not_zip": _(
        "The file is not a course package: it is not a readable zip archive, or it "
        "was cut short while uploading or downloading."
    ),
    "too_many_entries": _(
        "The package holds too many files; a course package may hold at most "
        "%(max_entries)s."
    ),
    "absolute_path": _(
        'The package holds "%(name)s", an absolute path that escapes the media '
        "folder; every file must sit inside the package."
    ),
    "path_traversal": _(
        'The package holds "%(name)s", which climbs out of the media folder with "..".'
    ),
    "bad_path": _(
        'The package holds "%(name)s", a name with an empty part, a backslash, a '
        "colon or a control character, which course packages never have."
    ),
    "dotfile": _(
        'The package holds the hidden file or folder "%(name)s", which course '
        "packages never have."
    ),
    "symlink": _(
        'The package holds "%(name)s", a symbolic link. Links could point at files '
        "outside the package and are not allowed."
    ),
    "encrypted": _('The package holds "%(name)s" encrypted; it cannot be checked.'),
    "unsupported_compression": _(
        'The package holds "%(name)s" packed with an unusual compression method.'
    ),
    "corrupt_entry": _('The file "%(name)s" in the package is damaged (%(detail)s).'),
    "file_too_large": _(
        'The file "%(name)s" is %(size)s when unpacked; the limit for one file is '
        "%(limit)s."
    ),
    "compression_ratio": _(
        'The file "%(name)s" would unpack to more than %(ratio)s times its packed '
        "size; it looks like a zip bomb and was not unpacked."
    ),
}


def zip_fault(error: H5PValidationError, limits: H5PLimits) -> CoursePackageError:
    """The H5P checker's finding, told in terms of a course package."""
    template = ZIP_FAULTS.get(error.code)
    if template is None:
        return CoursePackageError(error.code, "%(fault)s", fault=str(error))
    params = {
        "name": "",
        "detail": "",
        "size": "",
        "limit": "",
        "ratio": limits.max_compression_ratio,
        **error.params,
        "max_entries": Count(limits.max_entries),
    }
    return CoursePackageError(error.code, template, **params)


def read_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with read_entry(archive, info) as reader:
            return reader.read(info.file_size + 1)
    except H5PValidationError as error:
        raise zip_fault(error, COURSE_PACKAGE_LIMITS) from error


def sha256_of(fileobj: BinaryIO) -> str:
    digest = hashlib.sha256()
    fileobj.seek(0)
    while chunk := fileobj.read(CHUNK):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def entry_sha256(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    digest = hashlib.sha256()
    try:
        with read_entry(archive, info) as reader:
            while chunk := reader.read(CHUNK):
                digest.update(chunk)
    except H5PValidationError as error:
        raise zip_fault(error, COURSE_PACKAGE_LIMITS) from error
    return digest.hexdigest()


@contextmanager
def spooled_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo
) -> Iterator[BinaryIO]:
    """An entry copied to a temporary file, for readers that need to seek."""
    with tempfile.SpooledTemporaryFile(max_size=16 * MIB) as spooled:
        try:
            with read_entry(archive, info) as reader:
                while chunk := reader.read(CHUNK):
                    spooled.write(chunk)
        except H5PValidationError as error:
            raise zip_fault(error, COURSE_PACKAGE_LIMITS) from error
        spooled.seek(0)
        yield spooled
