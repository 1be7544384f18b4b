"""Check a course package completely before anything in it is written.

The zip is judged with the H5P validator's helpers (entry count and table size
from the end record, then every entry's name, kind, place, size and compression
ratio from the central directory), with this format's own limits and messages.
Then the manifest's schema and version, every cross-reference in it, every file's
SHA-256, each image, and each H5P activity through the H5P validator.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from pydantic import ValidationError
from wagtail.images.fields import get_allowed_image_extensions

from content.h5p import H5PLimits, H5PValidationError, validate_h5p_package
from content.h5p.archive import ZIP_READ_ERRORS, check_entry, open_archive, read_entry
from content.h5p.errors import gettext_noop as _
from content.h5p.errors import megabytes
from content.h5p.paths import check_entry_name, file_extension
from content.models import H5PLibrary
from content.services import rejection_message

from ..blocks import LessonBodyBlock
from .errors import CoursePackageError
from .manifest import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST_NAME,
    MEDIA_FOLDER,
    CourseRecord,
    LessonRecord,
    Manifest,
    ModuleRecord,
)
from .references import UnknownBlock, collect_references, collect_rich_text_references

MIB = 1024 * 1024
# A course is a handful of H5P packages (each at most 200 MB), images and PDFs.
COURSE_PACKAGE_LIMITS = H5PLimits(
    max_file_bytes=200 * MIB,
    max_total_bytes=1024 * MIB,
    max_entries=5_000,
    max_json_bytes=32 * MIB,
)
_CHUNK = 1024 * 1024
_BODY_BLOCK = LessonBodyBlock()


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
        raise _zip_fault(error, limits) from error
    try:
        _check_ends_at_end_record(fileobj, size)
        entries = _check_entries(archive, size, limits)
        manifest = _read_manifest(archive, entries, limits)
        _check_references(manifest)
        _check_files(archive, entries, manifest, limits)
        checked = CheckedPackage(
            manifest=manifest,
            archive=archive,
            sha256=_sha256_of(fileobj),
            entries=entries,
        )
    except BaseException:
        archive.close()
        raise
    return checked


# The zip -------------------------------------------------------------------


def _check_entries(
    archive: zipfile.ZipFile, archive_size: int, limits: H5PLimits
) -> dict[str, zipfile.ZipInfo]:
    files: dict[str, zipfile.ZipInfo] = {}
    total_size = total_compressed = 0
    seen: set[str] = set()
    for info in archive.infolist():
        try:
            check_entry(info, archive_size, limits)
        except H5PValidationError as error:
            raise _zip_fault(error, limits) from error
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
                limit=megabytes(limits.max_total_bytes),
            )
        if info.is_dir():
            continue
        if name != MANIFEST_NAME and not name.startswith(MEDIA_FOLDER):
            raise _outside_media(name)
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


def _check_ends_at_end_record(fileobj: BinaryIO, size: int) -> None:
    """Refuse a file that does not end where its zip end record says.

    A package cut short can still end in the end record of a zip stored inside
    it (an .h5p file), which zipfile would happily read as the whole package.
    """
    fileobj.seek(0)
    end_record = zipfile._EndRecData(fileobj)
    fileobj.seek(0)
    if end_record is None:
        raise CoursePackageError("not_zip", _ZIP_FAULTS["not_zip"])
    end = (
        end_record[zipfile._ECD_LOCATION]
        + zipfile.sizeEndCentDir
        + len(end_record[zipfile._ECD_COMMENT])
    )
    if end != size:
        raise CoursePackageError("not_zip", _ZIP_FAULTS["not_zip"])


def _outside_media(name: str) -> CoursePackageError:
    return CoursePackageError(
        "path_escape",
        _(
            'The package holds "%(name)s" outside its media folder; a course package '
            "holds only manifest.json and files under media/."
        ),
        name=name,
    )


_ZIP_FAULTS = {
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


def _zip_fault(error: H5PValidationError, limits: H5PLimits) -> CoursePackageError:
    """The H5P checker's finding, told in terms of a course package."""
    template = _ZIP_FAULTS.get(error.code)
    if template is None:
        return CoursePackageError(error.code, "%(fault)s", fault=str(error))
    params = {
        "name": "",
        "detail": "",
        "size": "",
        "limit": "",
        "ratio": limits.max_compression_ratio,
        **error.params,
        "max_entries": f"{limits.max_entries:,}",
    }
    return CoursePackageError(error.code, template, **params)


def _read_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with read_entry(archive, info) as reader:
            return reader.read(info.file_size + 1)
    except H5PValidationError as error:
        raise _zip_fault(error, COURSE_PACKAGE_LIMITS) from error


def _sha256_of(fileobj: BinaryIO) -> str:
    digest = hashlib.sha256()
    fileobj.seek(0)
    while chunk := fileobj.read(_CHUNK):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


# The manifest ----------------------------------------------------------------


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
            size=megabytes(info.file_size),
            limit=megabytes(limits.max_json_bytes),
        )
    try:
        data = json.loads(_read_bytes(archive, info).decode("utf-8"))
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


def _check_references(manifest: Manifest) -> None:
    content_languages = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}
    for language in manifest.languages:
        if language not in content_languages:
            raise CoursePackageError(
                "unknown_language",
                _(
                    'The package has pages in the language "%(language)s", which '
                    "this site does not offer for content."
                ),
                language=language,
            )
    _unique("page", [page.id for page in manifest.pages])
    pages = {page.id: page for page in manifest.pages}
    position = {page.id: index for index, page in enumerate(manifest.pages)}
    _unique(
        "page translation",
        [f"{page.translation_key}/{page.language}" for page in manifest.pages],
    )
    courses = [page for page in manifest.pages if isinstance(page, CourseRecord)]
    course_languages = Counter(page.language for page in courses)
    if sorted(course_languages) != sorted(manifest.languages) or any(
        count != 1 for count in course_languages.values()
    ):
        raise _bad_reference(
            _("the course must have exactly one page in each listed language")
        )
    if len({page.translation_key for page in courses}) != 1:
        raise _bad_reference(_("the course pages are not translations of each other"))
    allowed_parents = {
        ModuleRecord: (CourseRecord,),
        LessonRecord: (CourseRecord, ModuleRecord),
    }
    for page in manifest.pages:
        if isinstance(page, CourseRecord):
            if page.parent is not None:
                raise _bad_reference(_("a course page has a parent in the package"))
            continue
        parent = pages.get(page.parent) if page.parent is not None else None
        if parent is None or not isinstance(parent, allowed_parents[type(page)]):
            raise _bad_reference(
                _('page "%(title)s" has no fitting parent in the package'),
                title=page.title,
            )
        if parent.language != page.language:
            raise _bad_reference(
                _('page "%(title)s" is in another language than its parent'),
                title=page.title,
            )
        # Parents come first, so the tree can be built in one pass.
        if position[parent.id] > position[page.id]:
            raise _bad_reference(
                _('page "%(title)s" comes before its parent'), title=page.title
            )

    ids = {
        "image": {record.id for record in manifest.images},
        "document": {record.id for record in manifest.documents},
        "h5p": {record.id for record in manifest.h5p_activities},
        "quiz": {record.id for record in manifest.quizzes},
        "page": set(pages),
    }
    for kind in ("image", "document", "h5p", "quiz"):
        records = {
            "image": manifest.images,
            "document": manifest.documents,
            "h5p": manifest.h5p_activities,
            "quiz": manifest.quizzes,
        }[kind]
        _unique(kind, [record.id for record in records])
    categories = {category.id for category in manifest.question_categories}
    _unique("question category", [c.id for c in manifest.question_categories])
    course_ids = {page.id for page in courses}
    for category in manifest.question_categories:
        if category.course is not None and category.course not in course_ids:
            raise _bad_reference(
                _('question category "%(name)s" belongs to no course page'),
                name=category.name,
            )
    _unique("question", [question.id for question in manifest.questions])
    _unique(
        "question translation",
        [f"{q.translation_key}/{q.language}" for q in manifest.questions],
    )
    for question in manifest.questions:
        if question.category not in categories:
            raise _bad_reference(
                _('question "%(name)s" is in a category the package lacks'),
                name=question.name,
            )
        if question.language not in manifest.languages:
            raise _bad_reference(
                _('question "%(name)s" is in a language the course lacks'),
                name=question.name,
            )
    for quiz in manifest.quizzes:
        if quiz.course not in course_ids:
            raise _bad_reference(
                _('quiz "%(title)s" belongs to no course page'), title=quiz.title
            )
        if any(rule.category not in categories for rule in quiz.draw_rules):
            raise _bad_reference(
                _('quiz "%(title)s" draws from a category the package lacks'),
                title=quiz.title,
            )

    for page in manifest.pages:
        found = set()
        if isinstance(page, LessonRecord):
            try:
                found = collect_references(_BODY_BLOCK, page.fields.body)
            except (UnknownBlock, ValueError) as error:
                raise _bad_reference(
                    _(
                        'lesson "%(title)s" holds a block this site does not know '
                        "(%(block)s)"
                    ),
                    title=page.title,
                    block=str(error),
                ) from error
        elif isinstance(page, CourseRecord):
            found = collect_rich_text_references(page.fields.learning_outcomes)
            if page.fields.cover_image:
                found.add(("image", page.fields.cover_image))
            if page.fields.final_assessment:
                found.add(("quiz", page.fields.final_assessment))
        for kind, ref_id in found:
            # Links to pages outside the course are dropped on import.
            if kind != "page" and ref_id not in ids[kind]:
                raise _bad_reference(
                    _(
                        'page "%(title)s" points at %(kind)s %(id)s, which the '
                        "package lacks"
                    ),
                    title=page.title,
                    kind=kind,
                    id=ref_id,
                )


def _unique(what: str, values: list) -> None:
    repeated = [value for value, count in Counter(values).items() if count > 1]
    if repeated:
        raise _bad_reference(
            _("%(what)s %(value)s appears more than once"),
            what=what,
            value=str(repeated[0]),
        )


def _bad_reference(detail: str, **params: object) -> CoursePackageError:
    return CoursePackageError(
        "bad_manifest",
        _("manifest.json does not hold together: %(detail)s."),
        detail=_Deferred(detail, params),
    )


class _Deferred:
    """A message part translated when the whole message is."""

    def __init__(self, template: str, params: dict[str, object]) -> None:
        self.template = template
        self.params = params

    def __str__(self) -> str:
        from django.utils.translation import gettext

        return gettext(self.template) % self.params


# The files -------------------------------------------------------------------


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
            raise _zip_fault(error, limits) from error
        if not name.startswith(MEDIA_FOLDER):
            raise _outside_media(name)
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
        if _entry_sha256(archive, entries[name]) != expected:
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


def _entry_sha256(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    digest = hashlib.sha256()
    try:
        with read_entry(archive, info) as reader:
            while chunk := reader.read(_CHUNK):
                digest.update(chunk)
    except H5PValidationError as error:
        raise _zip_fault(error, COURSE_PACKAGE_LIMITS) from error
    return digest.hexdigest()


@contextmanager
def spooled_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo
) -> Iterator[BinaryIO]:
    """An entry copied to a temporary file, for readers that need to seek."""
    with tempfile.SpooledTemporaryFile(max_size=16 * MIB) as spooled:
        try:
            with read_entry(archive, info) as reader:
                while chunk := reader.read(_CHUNK):
                    spooled.write(chunk)
        except H5PValidationError as error:
            raise _zip_fault(error, COURSE_PACKAGE_LIMITS) from error
        spooled.seek(0)
        yield spooled


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


__all__ = [
    "COURSE_PACKAGE_LIMITS",
    "ZIP_READ_ERRORS",
    "CheckedPackage",
    "check_course_package",
    "spooled_entry",
]
