"""Zip-level checks of an uploaded .h5p file.

Everything here is judged from the zip's end record and central directory; no
entry is inflated until every entry has passed. Reading an entry later is capped
at its declared size, which these checks have already bounded.
"""

import io
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import BinaryIO

from .errors import Count, FileSize, H5PValidationError
from .errors import gettext_noop as _
from .limits import H5PLimits
from .paths import check_entry_name, file_extension

H5P_JSON = "h5p.json"
CONTENT_FOLDER = "content"
CONTENT_JSON = "content/content.json"
SUPPORTED_COMPRESSION = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})

# What zipfile raises on a damaged archive or entry: a bad record (BadZipFile,
# struct.error, NotImplementedError for an unknown zip version), a name that is not
# valid UTF-8 (UnicodeDecodeError), a damaged deflate stream (zlib.error) or data
# that ends early (EOFError). Not OSError or ValueError: those mean our own file
# handling failed, and must not pass for a bad upload.
ZIP_READ_ERRORS = (
    zipfile.BadZipFile,
    EOFError,
    NotImplementedError,
    UnicodeDecodeError,
    struct.error,
    zlib.error,
)
_LOCAL_HEADER_BYTES = 30

# H5P core's check of a library folder name (H5PValidator::getLibraryData) ...
_LIBRARY_FOLDER_CHARS = re.compile(r"[\w.-]{1,255}", re.ASCII)
# ... narrowed to the name H5P's exporter writes: machine name, major.minor.
LIBRARY_FOLDER = re.compile(
    r"(?P<machine_name>[\w.-]{1,255})-(?P<major>[0-9]{1,5})\.(?P<minor>[0-9]{1,5})",
    re.ASCII,
)


@dataclass
class ArchiveLayout:
    """Where the file entries of a checked archive belong."""

    files: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    content_files: list[str] = field(default_factory=list)
    library_files: dict[str, list[str]] = field(default_factory=dict)


def open_archive(fileobj: BinaryIO, limits: H5PLimits) -> zipfile.ZipFile:
    """Open ``fileobj`` as a zip, refusing too many entries before reading them."""
    if not fileobj.seekable():
        raise TypeError("An H5P package must be read from a seekable file.")
    try:
        # The private reader is the one ZipFile itself trusts, so this count cannot
        # be fooled by a decoy end record that a parser of our own might choose.
        end_record = zipfile._EndRecData(fileobj)
    except ZIP_READ_ERRORS as error:
        raise _not_zip(error) from error
    if end_record is None:
        raise H5PValidationError(
            "not_zip",
            _(
                "The file is not an H5P package: an .h5p file is a zip archive, "
                "and this file is not one (or it was cut short while uploading)."
            ),
        )
    declared_entries = end_record[zipfile._ECD_ENTRIES_TOTAL]
    if declared_entries > limits.max_entries:
        raise _too_many_entries(declared_entries, limits)
    # ZipFile reads the whole directory whatever the count says; bounding its size
    # bounds that work when the count lies.
    directory_size = end_record[zipfile._ECD_SIZE]
    if directory_size > limits.max_central_directory_bytes:
        raise H5PValidationError(
            "too_many_entries",
            _(
                "The package's table of contents is %(size)s, more than the "
                "%(limit)s allowed for at most %(max_entries)s files."
            ),
            size=FileSize(directory_size),
            limit=FileSize(limits.max_central_directory_bytes),
            max_entries=Count(limits.max_entries),
        )
    try:
        archive = zipfile.ZipFile(fileobj)
    except ZIP_READ_ERRORS as error:
        raise _not_zip(error) from error
    entry_count = len(archive.infolist())
    if entry_count > limits.max_entries:
        archive.close()
        raise _too_many_entries(entry_count, limits)
    return archive


def check_entries(
    archive: zipfile.ZipFile, archive_size: int, limits: H5PLimits
) -> ArchiveLayout:
    """Check every entry's name, kind, place and sizes, and sort files by place."""
    layout = ArchiveLayout()
    seen_names: set[str] = set()
    checked_folders: set[str] = set()
    total_size = 0
    total_compressed = 0
    for info in archive.infolist():
        name = info.filename
        check_entry(info, archive_size, limits)
        # Two names that differ only in case or Unicode form are one file on many
        # disks: which one would be stored is not what was validated.
        key = unicodedata.normalize("NFC", name.rstrip("/")).casefold()
        if key in seen_names:
            raise H5PValidationError(
                "duplicate_entry",
                _('The package holds "%(name)s" more than once.'),
                name=name,
            )
        seen_names.add(key)
        total_size += info.file_size
        total_compressed += info.compress_size
        if total_size > limits.max_total_bytes:
            raise H5PValidationError(
                "package_too_large",
                _(
                    "The package unpacks to more than %(limit)s; that is the limit "
                    "for one H5P package."
                ),
                limit=FileSize(limits.max_total_bytes),
            )
        if info.is_dir():
            continue
        if _place_file(name, layout, checked_folders, limits):
            layout.files[name] = info
    if total_size > limits.ratio_checked_above_bytes and (
        total_size > limits.max_compression_ratio * total_compressed
    ):
        raise H5PValidationError(
            "compression_ratio",
            _(
                "The package would unpack from %(compressed)s to %(size)s, more than "
                "%(ratio)s times its packed size; it looks like a zip bomb and was "
                "not unpacked."
            ),
            compressed=FileSize(total_compressed),
            size=FileSize(total_size),
            ratio=limits.max_compression_ratio,
        )
    return layout


def check_entry(info: zipfile.ZipInfo, archive_size: int, limits: H5PLimits) -> None:
    """One entry's name, kind (no links, no encryption), place and sizes.

    Free of H5P's layout, so other zip formats (course packages) check their
    entries the same way.
    """
    check_entry_name(info.filename)
    _check_entry_kind(info)
    _check_entry_position(info, archive_size)
    _check_entry_size(info, limits)


def read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> io.BufferedReader:
    """Open one entry for reading, capped at its declared size."""
    return io.BufferedReader(CappedEntryReader(archive, info))


class CappedEntryReader(io.RawIOBase):
    """Reads one zip entry and never yields more than its declared size.

    zipfile already stops at the declared size; this says so in our own code, so a
    header that lies cannot make us inflate more than was checked, and it turns
    zipfile's damage errors into ``H5PValidationError``.
    """

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        super().__init__()
        self.name = info.filename
        self._remaining = info.file_size
        try:
            self._stream = archive.open(info)
        except ZIP_READ_ERRORS as error:
            raise _corrupt_entry(self.name, error) from error

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        view = memoryview(buffer).cast("B")
        # One byte past the declared size shows a lie; at the end it makes zipfile
        # check the CRC.
        wanted = min(len(view), self._remaining + 1)
        try:
            data = self._stream.read(wanted)
        except ZIP_READ_ERRORS as error:
            raise _corrupt_entry(self.name, error) from error
        if len(data) > self._remaining:
            raise _corrupt_entry(self.name, "more data than its header declares")
        self._remaining -= len(data)
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._stream.close()
        super().close()


def _check_entry_kind(info: zipfile.ZipInfo) -> None:
    if stat.S_ISLNK(info.external_attr >> 16):
        raise H5PValidationError(
            "symlink",
            _(
                'The package holds "%(name)s", a symbolic link. Links could point '
                "at files outside the package and are not allowed."
            ),
            name=info.filename,
        )
    if info.flag_bits & 0x1:
        raise H5PValidationError(
            "encrypted",
            _('The package holds "%(name)s" encrypted; it cannot be checked.'),
            name=info.filename,
        )
    if info.compress_type not in SUPPORTED_COMPRESSION:
        raise H5PValidationError(
            "unsupported_compression",
            _(
                'The package holds "%(name)s" packed with an unusual compression '
                "method; save it again with ordinary zip (deflate) compression."
            ),
            name=info.filename,
        )


def _check_entry_position(info: zipfile.ZipInfo, archive_size: int) -> None:
    # An offset outside the file would make zipfile seek before its start or read
    # past its end: refuse it here, from the directory, with a clear message.
    end = info.header_offset + _LOCAL_HEADER_BYTES + info.compress_size
    if info.header_offset < 0 or end > archive_size:
        raise _corrupt_entry(info.filename, "it points outside the archive")


def _check_entry_size(info: zipfile.ZipInfo, limits: H5PLimits) -> None:
    if info.file_size > limits.max_file_bytes:
        raise H5PValidationError(
            "file_too_large",
            _(
                'The file "%(name)s" is %(size)s when unpacked; the limit for one '
                "file is %(limit)s."
            ),
            name=info.filename,
            size=FileSize(info.file_size),
            limit=FileSize(limits.max_file_bytes),
        )
    if info.file_size > limits.ratio_checked_above_bytes and (
        info.file_size > limits.max_compression_ratio * info.compress_size
    ):
        raise H5PValidationError(
            "compression_ratio",
            _(
                'The file "%(name)s" would unpack from %(compressed)s to %(size)s, '
                "more than %(ratio)s times its packed size; it looks like a zip "
                "bomb and was not unpacked."
            ),
            name=info.filename,
            compressed=FileSize(info.compress_size),
            size=FileSize(info.file_size),
            ratio=limits.max_compression_ratio,
        )


def _place_file(
    name: str, layout: ArchiveLayout, checked_folders: set[str], limits: H5PLimits
) -> bool:
    """Sort a file entry by place; False for a file that is ignored (not stored)."""
    top, _slash, rest = name.partition("/")
    extension = file_extension(name)
    if not rest:
        if name == H5P_JSON:
            return True
        # A stray file beside h5p.json (a README, a licence): H5P's own validator
        # skips it, so a package made by hand that H5P accepts is accepted too.
        # Its type is still checked, as H5P checks every file's.
        _check_extension(
            name, extension, limits.content_extensions | limits.library_only_extensions
        )
        return False
    if top == CONTENT_FOLDER:
        if extension in limits.library_only_extensions:
            raise H5PValidationError(
                "script_in_content",
                _(
                    'The package holds "%(name)s", a script or style sheet in its '
                    "content folder. Code may only come in library folders."
                ),
                name=name,
            )
        _check_extension(name, extension, limits.content_extensions)
        layout.content_files.append(name)
        return True
    if top not in checked_folders:
        _check_library_folder_name(top, name)
        checked_folders.add(top)
    _check_extension(
        name, extension, limits.content_extensions | limits.library_only_extensions
    )
    layout.library_files.setdefault(top, []).append(name)
    return True


def _check_library_folder_name(folder: str, name: str) -> None:
    if not (
        _LIBRARY_FOLDER_CHARS.fullmatch(folder) and LIBRARY_FOLDER.fullmatch(folder)
    ):
        raise H5PValidationError(
            "bad_library_folder",
            _(
                'The package holds "%(name)s" in a folder "%(folder)s" that is '
                "neither the content folder nor a library folder named like "
                '"H5P.MultiChoice-1.16" (machine name, major and minor version).'
            ),
            name=name,
            folder=folder,
        )


def _check_extension(name: str, extension: str, allowed: frozenset[str]) -> None:
    if extension in allowed:
        return
    allowed_list = ", ".join(f".{each}" for each in sorted(allowed))
    if not extension:
        raise H5PValidationError(
            "forbidden_extension",
            _(
                'The file "%(name)s" is not allowed: it has no file extension. '
                "Allowed here: %(allowed)s."
            ),
            name=name,
            allowed=allowed_list,
        )
    raise H5PValidationError(
        "forbidden_extension",
        _(
            'The file "%(name)s" is not allowed: ".%(extension)s" files may not be '
            "in this part of an H5P package. Allowed here: %(allowed)s."
        ),
        name=name,
        extension=extension,
        allowed=allowed_list,
    )


def _not_zip(error: Exception) -> H5PValidationError:
    return H5PValidationError(
        "not_zip",
        _(
            "The file is not a readable H5P package: its zip structure is damaged "
            "(%(detail)s)."
        ),
        detail=str(error) or type(error).__name__,
    )


def _corrupt_entry(name: str, error: Exception | str) -> H5PValidationError:
    return H5PValidationError(
        "corrupt_entry",
        _('The file "%(name)s" in the package is damaged (%(detail)s).'),
        name=name,
        detail=str(error) or type(error).__name__,
    )


def _too_many_entries(count: int, limits: H5PLimits) -> H5PValidationError:
    return H5PValidationError(
        "too_many_entries",
        _("The package holds %(count)s files; at most %(limit)s are allowed."),
        count=Count(count),
        limit=Count(limits.max_entries),
    )
