"""H5P packages: importing them checked, exporting them, and their stored files."""

from __future__ import annotations

import functools
import io
import posixpath
import uuid
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, BinaryIO

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.utils.translation import gettext
from wagtail.models import Page

from ..h5p import (
    DEFAULT_LIMITS,
    H5PLimits,
    H5PValidationError,
    LibraryRef,
    ValidatedPackage,
    topological_library_order,
    validate_h5p_package,
)
from ..h5p.errors import gettext_noop
from ..models import H5P_STORAGE_ROOT, H5PActivity, H5PLibrary
from .libraries import LibraryPlan, plan_libraries

if TYPE_CHECKING:
    from lms.accounts.models import User


def rejection_message(error: H5PValidationError) -> str:
    """The validator's message in the current language."""
    return gettext(error.template) % error.params


# Import -----------------------------------------------------------------------


def import_h5p_package(
    fileobj: BinaryIO,
    uploaded_by: User | None = None,
    *,
    programme: Page | None = None,
    storage: Storage | None = None,
    limits: H5PLimits = DEFAULT_LIMITS,
    libraries_approved_by: User | None = None,
) -> H5PActivity:
    """Validate an .h5p upload, then store its content and any new libraries.

    Raises ``H5PValidationError`` naming the first fault. Nothing is written until
    the package has passed every check and every entry has been inflated once with
    its checksum verified; if storing or saving still fails, every file written is
    deleted again and no row is left, so a refused upload leaves nothing behind.
    The activity belongs to ``programme`` (content.scoping); without one, only
    administrators see it. New libraries need the install right of
    ``uploaded_by``, or of ``libraries_approved_by`` when a programme manager
    approves a trainer's package (content.services.approvals).
    """
    storage = storage or default_storage
    with checked_package(
        fileobj, libraries_approved_by or uploaded_by, limits=limits
    ) as (package, plan):
        main_ref = _main_library_ref(package)
        key = uuid.uuid4()
        content_prefix = f"{H5P_STORAGE_ROOT}/content/{key}/"
        new_library_prefixes = {
            library.folder: (
                f"{H5P_STORAGE_ROOT}/libraries/{library.folder}.{library.patch}-"
                f"{uuid.uuid4().hex[:12]}/"
            )
            for library in package.libraries
            if library.folder in plan.stored_folders
        }
        written: list[str] = []
        try:
            for info, reader in package.iter_entries():
                target = _storage_name(
                    info.filename, content_prefix, new_library_prefixes
                )
                if target is None:
                    continue  # a library this site already has: shared, not copied
                saved = storage.save(target, File(reader, name=info.filename))
                written.append(saved)
                if saved != target:
                    raise RuntimeError(f"Storage renamed {target!r} to {saved!r}.")
            activity, unused_prefixes = _save_rows(
                package,
                plan,
                main_ref,
                key,
                content_prefix,
                new_library_prefixes,
                uploaded_by,
                programme,
                storage,
            )
        except BaseException:
            _delete_files(storage, written)
            raise
    # Another upload installed the same library at the same moment: keep theirs.
    _delete_files(storage, [n for n in written if n.startswith(unused_prefixes)])
    return activity


@contextmanager
def checked_package(
    fileobj: BinaryIO,
    installer: User | None,
    *,
    limits: H5PLimits = DEFAULT_LIMITS,
) -> Iterator[tuple[ValidatedPackage, LibraryPlan]]:
    """Open an upload checked as every upload is: validated against the site's
    installed libraries, every entry inflated once with its checksum verified,
    and its libraries planned as ``installer`` may install them (None: as the
    site would). Raises ``H5PValidationError`` naming the first fault; the
    package stays open (readable) inside the ``with`` block."""
    installed = {library.ref: library for library in H5PLibrary.objects.all()}
    package = validate_h5p_package(
        fileobj, installed_libraries=set(installed), limits=limits
    )
    with package:
        package.verify_integrity()
        yield package, plan_libraries(package, installed, installer)


def _main_library_ref(package: ValidatedPackage) -> LibraryRef:
    for ref in package.preloaded_dependencies:
        if ref.machine_name == package.main_library:
            return ref
    raise H5PValidationError(
        "missing_main_library",
        gettext_noop(
            "h5p.json names %(library)s as its main library but does not list it "
            "among its preloadedDependencies, so it is not known which version "
            "to play."
        ),
        library=package.main_library,
    )


def _storage_name(
    entry: str, content_prefix: str, library_prefixes: Mapping[str, str]
) -> str | None:
    top, _slash, rest = entry.partition("/")
    if entry == "h5p.json" or top == "content":
        return content_prefix + entry
    if top in library_prefixes:
        return library_prefixes[top] + rest
    return None


def _save_rows(
    package: ValidatedPackage,
    plan: LibraryPlan,
    main_ref: LibraryRef,
    key: uuid.UUID,
    content_prefix: str,
    new_library_prefixes: Mapping[str, str],
    uploaded_by: User | None,
    programme: Page | None,
    storage: Storage,
) -> tuple[H5PActivity, tuple[str, ...]]:
    unused_prefixes: list[str] = []
    replaced_prefixes: list[str] = []
    updated_folders = {info.folder for info, _row in plan.updates}
    with transaction.atomic():
        libraries: dict[LibraryRef, H5PLibrary] = {}
        for info in package.libraries:
            library = H5PLibrary.objects.filter(
                machine_name=info.machine_name,
                major_version=info.major,
                minor_version=info.minor,
            ).first()
            if library is None:
                library, created = H5PLibrary.objects.get_or_create(
                    machine_name=info.machine_name,
                    major_version=info.major,
                    minor_version=info.minor,
                    defaults={
                        "patch_version": info.patch,
                        "runnable": info.runnable,
                        "library_json": info.library_json,
                        "storage_prefix": new_library_prefixes[info.folder],
                        "files_digest": plan.digests[info.folder],
                    },
                )
                if not created:
                    unused_prefixes.append(new_library_prefixes[info.folder])
            elif info.folder in updated_folders:
                library = H5PLibrary.objects.select_for_update().get(pk=library.pk)
                if info.patch > library.patch_version:
                    # Every activity using it plays the newer patch from now on.
                    replaced_prefixes.append(library.storage_prefix)
                    library.patch_version = info.patch
                    library.runnable = info.runnable
                    library.library_json = info.library_json
                    library.storage_prefix = new_library_prefixes[info.folder]
                    library.files_digest = plan.digests[info.folder]
                    library.save()
                else:
                    unused_prefixes.append(new_library_prefixes[info.folder])
            elif info.folder in new_library_prefixes:
                unused_prefixes.append(new_library_prefixes[info.folder])
            libraries[info.ref] = library
        used = _libraries_used(package, libraries)
        activity = H5PActivity.objects.create(
            title=package.title,
            key=key,
            language=package.language,
            main_library=used[main_ref],
            h5p_json=package.h5p_json,
            storage_prefix=content_prefix,
            uploaded_by=uploaded_by,
            programme=programme,
        )
        activity.libraries.set(used.values())
        # The replaced patch's files go once the new one is committed.
        for prefix in replaced_prefixes:
            transaction.on_commit(
                functools.partial(delete_files_under, prefix, storage)
            )
    return activity, tuple(unused_prefixes)


def _libraries_used(
    package: ValidatedPackage, in_package: dict[LibraryRef, H5PLibrary]
) -> dict[LibraryRef, H5PLibrary]:
    """Every library the activity may load, whether it came in the package or not."""
    known = dict(in_package)

    def library(ref: LibraryRef) -> H5PLibrary:
        if ref not in known:
            known[ref] = H5PLibrary.objects.get(
                machine_name=ref.machine_name,
                major_version=ref.major,
                minor_version=ref.minor,
            )
        return known[ref]

    def dependencies_of(ref: LibraryRef) -> list[LibraryRef]:
        data = library(ref).library_json
        return [
            LibraryRef(item["machineName"], item["majorVersion"], item["minorVersion"])
            for key in ("preloadedDependencies", "dynamicDependencies")
            for item in data.get(key, [])
        ]

    order = topological_library_order(package.preloaded_dependencies, dependencies_of)
    return {ref: library(ref) for ref in [*order, *in_package]}


def _delete_files(storage: Storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def delete_activity_files(
    activity: H5PActivity, storage: Storage | None = None
) -> None:
    """Remove a deleted activity's content from storage; its libraries are shared
    and stay."""
    delete_files_under(activity.storage_prefix, storage)


def delete_files_under(prefix: str, storage: Storage | None = None) -> None:
    """Remove every stored file under a folder (an activity's or a library's)."""
    storage = storage or default_storage
    _delete_files(storage, _files_under(storage, prefix.rstrip("/")))


def export_h5p_package(activity: H5PActivity, storage: Storage | None = None) -> bytes:
    """Rebuild the .h5p file an activity was imported from: h5p.json, content/
    and the folder of every library it plays with, read back from storage.

    Importing the result elsewhere goes through the same validation as any upload.
    """
    storage = storage or default_storage
    members: list[tuple[str, str]] = []
    content_folder = activity.storage_prefix.rstrip("/")
    for name in _files_under(storage, content_folder):
        members.append((name.removeprefix(activity.storage_prefix), name))
    for library in activity.libraries.order_by("machine_name", "major_version"):
        for name in _files_under(storage, library.storage_prefix.rstrip("/")):
            relative = name.removeprefix(library.storage_prefix)
            members.append((f"{library.folder_name}/{relative}", name))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, name in sorted(members):
            with storage.open(name, "rb") as stored:
                archive.writestr(entry, stored.read())
    return buffer.getvalue()


def _files_under(storage: Storage, folder: str) -> list[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    found = [f"{folder}/{name}" for name in files]
    for name in folders:
        found += _files_under(storage, f"{folder}/{name}")
    return found


def activity_file_name(activity: H5PActivity, path: str) -> str | None:
    """Storage name of h5p.json or a content/ file of ``activity``, if ``path`` is
    one a package may hold (no climbing out with "..")."""
    clean = posixpath.normpath(path)
    if clean != path or path.startswith("/"):
        return None
    if path == "h5p.json" or path.startswith("content/"):
        return activity.storage_prefix + path
    return None


def library_file_name(library: H5PLibrary, path: str) -> str | None:
    clean = posixpath.normpath(path)
    if clean != path or path.startswith(("/", "..")):
        return None
    return library.storage_prefix + path


# xAPI -------------------------------------------------------------------------
