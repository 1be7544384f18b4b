"""Validate an uploaded .h5p package before anything in it is written.

An .h5p file is a zip of code (library folders with JavaScript) and content
(content/content.json and media). ``validate_h5p_package`` refuses it with an
``H5PValidationError`` naming the first fault, cheapest checks first:

1. it is a zip, with no more entries than allowed (from the end record alone);
2. every entry's name, kind, size and compression ratio, from the central
   directory, without inflating anything;
3. h5p.json, content/content.json and each library.json, read with a size cap;
4. every dependency is in the package or installed on the site.
"""

import io
import zipfile
from collections.abc import Iterator, Set
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from .archive import (
    CONTENT_JSON,
    H5P_JSON,
    ArchiveLayout,
    check_entries,
    open_archive,
    read_entry,
)
from .errors import FileSize, H5PValidationError
from .errors import gettext_noop as _
from .libraries import LibraryInfo, LibraryRef, topological_library_order
from .limits import DEFAULT_LIMITS, H5PLimits
from .metadata import check_h5p_json, check_library_json, parse_json_object
from .paths import check_entry_name

_CHUNK_BYTES = 1024 * 1024


@dataclass(eq=False)
class ValidatedPackage:
    """A package that passed every check, still unextracted.

    It reads from the file object given to ``validate_h5p_package``, which must stay
    open while the package is used. ``open_entry`` reads one file at a time, capped
    at its checked size.
    """

    title: str
    main_library: str
    language: str
    h5p_json: dict[str, Any]
    content_json: dict[str, Any]
    libraries: list[LibraryInfo]
    # Files under content/, content.json included, in archive order.
    content_files: list[str]
    # Every file entry (directories left out), in archive order.
    entries: list[zipfile.ZipInfo]
    preloaded_dependencies: list[LibraryRef]
    _archive: zipfile.ZipFile = field(repr=False)
    _entries_by_name: dict[str, zipfile.ZipInfo] | None = field(
        default=None, init=False, repr=False
    )

    @property
    def main_library_ref(self) -> LibraryRef:
        return next(
            ref
            for ref in self.preloaded_dependencies
            if ref.machine_name == self.main_library
        )

    def library(self, ref: tuple[str, int, int]) -> LibraryInfo | None:
        """The library folder in this package for ``ref``, if it has one."""
        ref = LibraryRef(*ref)
        return next((lib for lib in self.libraries if lib.ref == ref), None)

    def topological_library_order(self) -> list[LibraryRef]:
        """Libraries to load for playing, each after its preloaded dependencies.

        Starts from h5p.json's preloadedDependencies and follows each library's
        preloadedDependencies, as H5P players do; dynamic and editor dependencies
        are not loaded up front. A library that is installed on the site rather
        than in this package is listed, but its own dependencies are unknown here:
        to expand them, call ``libraries.topological_library_order`` with a
        ``dependencies_of`` that also knows the installed libraries.
        """
        in_package = {library.ref: library for library in self.libraries}

        def dependencies_of(ref: LibraryRef) -> list[LibraryRef]:
            library = in_package.get(ref)
            return library.preloaded_dependencies if library else []

        return topological_library_order(self.preloaded_dependencies, dependencies_of)

    def open_entry(self, name: str) -> BinaryIO:
        """Open a checked file entry for reading.

        Never yields more than the entry's declared (and checked) size; damage
        found while reading raises ``H5PValidationError`` with code
        ``"corrupt_entry"``, so a caller storing files must be ready to undo.
        """
        info = self._entry(name)
        return read_entry(self._archive, info)

    def iter_entries(self) -> Iterator[tuple[zipfile.ZipInfo, BinaryIO]]:
        """Each file entry with an open reader, for storing them one by one."""
        for info in self.entries:
            with read_entry(self._archive, info) as reader:
                yield info, reader

    def verify_integrity(self) -> None:
        """Inflate every entry once, checking its CRC, without keeping the data.

        Costs reading up to ``H5PLimits.max_total_bytes``; call it before writing
        anything when a half-stored package must never happen.
        """
        for _info, reader in self.iter_entries():
            while reader.read(_CHUNK_BYTES):
                pass

    def close(self) -> None:
        """Release the zip reader (the caller's file object stays open)."""
        self._archive.close()

    def __enter__(self) -> "ValidatedPackage":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _entry(self, name: str) -> zipfile.ZipInfo:
        if self._entries_by_name is None:
            self._entries_by_name = {info.filename: info for info in self.entries}
        return self._entries_by_name[name]


def validate_h5p_package(
    fileobj: BinaryIO,
    *,
    installed_libraries: Set[tuple[str, int, int]] = frozenset(),
    limits: H5PLimits = DEFAULT_LIMITS,
) -> ValidatedPackage:
    """Check an uploaded .h5p file; raise ``H5PValidationError`` at the first fault.

    ``fileobj`` is a seekable binary file (a Django ``UploadedFile`` will do).
    ``installed_libraries`` holds ``(machineName, major, minor)`` of the libraries
    already on the site, which the package may depend on without carrying.
    """
    with ExitStack() as cleanup:
        archive = open_archive(fileobj, limits)
        cleanup.callback(archive.close)
        layout = check_entries(archive, fileobj.seek(0, io.SEEK_END), limits)
        names = layout.files.keys()

        if H5P_JSON not in names:
            raise H5PValidationError(
                "missing_h5p_json",
                _(
                    "The package has no h5p.json at its top level, so it is not an "
                    "H5P package. Download it again from H5P (Reuse, then Download "
                    "as an .h5p file) rather than zipping a folder by hand."
                ),
            )
        h5p_data = _read_json(archive, layout, H5P_JSON, limits)
        h5p = check_h5p_json(h5p_data)

        if CONTENT_JSON not in names:
            raise H5PValidationError(
                "missing_content_json",
                _(
                    "The package has no content/content.json, so it holds no H5P "
                    "content."
                ),
            )
        content_data = _read_json(archive, layout, CONTENT_JSON, limits)

        libraries = [
            _check_library(archive, layout, folder, names, limits)
            for folder in sorted(layout.library_files)
        ]
        _check_dependencies(
            [*h5p.preloaded_dependencies, *h5p.dynamic_dependencies],
            libraries,
            installed_libraries,
        )

        package = ValidatedPackage(
            title=h5p.title,
            main_library=h5p.main_library,
            language=h5p.language,
            h5p_json=h5p_data,
            content_json=content_data,
            libraries=libraries,
            content_files=layout.content_files,
            entries=list(layout.files.values()),
            preloaded_dependencies=h5p.preloaded_dependencies,
            _archive=archive,
        )
        cleanup.pop_all()
    return package


def _read_json(
    archive: zipfile.ZipFile, layout: ArchiveLayout, name: str, limits: H5PLimits
) -> dict[str, Any]:
    info = layout.files[name]
    if info.file_size > limits.max_json_bytes:
        raise H5PValidationError(
            "file_too_large",
            _(
                'The file "%(name)s" is %(size)s; JSON files in a package may be '
                "at most %(limit)s."
            ),
            name=name,
            size=FileSize(info.file_size),
            limit=FileSize(limits.max_json_bytes),
        )
    # The reader refuses anything past the declared size, checked just above.
    with read_entry(archive, info) as reader:
        data = reader.read(info.file_size + 1)
    return parse_json_object(data, name)


def _check_library(
    archive: zipfile.ZipFile,
    layout: ArchiveLayout,
    folder: str,
    names: Set[str],
    limits: H5PLimits,
) -> LibraryInfo:
    library_json_name = f"{folder}/library.json"
    if library_json_name not in names:
        raise H5PValidationError(
            "bad_library_folder",
            _(
                'The library folder "%(folder)s" has no library.json, so it is not '
                "an H5P library."
            ),
            folder=folder,
        )
    data = _read_json(archive, layout, library_json_name, limits)
    library = check_library_json(data, library_json_name)
    if library.ref.folder_name != folder:
        raise H5PValidationError(
            "bad_library_folder",
            _(
                'The library folder "%(folder)s" holds the library %(library)s; its '
                'folder must be named "%(expected)s".'
            ),
            folder=folder,
            library=str(library.ref),
            expected=library.ref.folder_name,
        )
    for path in (*library.preloaded_js, *library.preloaded_css):
        file_name = f"{folder}/{path}"
        check_entry_name(file_name)
        if file_name not in names:
            raise H5PValidationError(
                "missing_library_file",
                _(
                    'The library %(library)s lists "%(path)s" in its library.json, '
                    "but the package does not hold that file."
                ),
                library=str(library.ref),
                path=path,
            )
    return LibraryInfo(
        machine_name=library.ref.machine_name,
        major=library.ref.major,
        minor=library.ref.minor,
        patch=library.patch,
        folder=folder,
        library_json=data,
        preloaded_js=library.preloaded_js,
        preloaded_css=library.preloaded_css,
        preloaded_dependencies=library.preloaded_dependencies,
        dynamic_dependencies=library.dynamic_dependencies,
        editor_dependencies=library.editor_dependencies,
    )


def _check_dependencies(
    h5p_dependencies: list[LibraryRef],
    libraries: list[LibraryInfo],
    installed_libraries: Set[tuple[str, int, int]],
) -> None:
    available = {library.ref for library in libraries} | {
        LibraryRef(*ref) for ref in installed_libraries
    }
    # Editor dependencies are left out: they serve H5P's editor, which this site
    # does not run, and exports often leave them behind.
    needs = [("h5p.json", ref) for ref in h5p_dependencies]
    for library in libraries:
        needs += [
            (str(library.ref), ref)
            for ref in (*library.preloaded_dependencies, *library.dynamic_dependencies)
        ]
    for required_by, ref in needs:
        if ref not in available:
            raise H5PValidationError(
                "missing_dependency",
                _(
                    "The package needs the library %(library)s (required by "
                    "%(required_by)s), but it is neither in the package nor "
                    "installed on this site."
                ),
                library=str(ref),
                required_by=required_by,
            )
