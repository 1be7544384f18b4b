"""Which libraries an upload installs, updates or may not bring, as H5P sites
decide it: a higher patch version replaces the installed one for every activity,
the same version must bring the same files, and installing a library (or an
update) is a right of its own."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..h5p import H5PValidationError, LibraryRef, ValidatedPackage
from ..h5p.errors import gettext_noop
from ..h5p.libraries import LibraryInfo
from ..models import H5PLibrary

if TYPE_CHECKING:
    from lms.accounts.models import User

INSTALL_LIBRARY_PERMISSION = "content.install_h5plibrary"


@dataclass
class LibraryPlan:
    """What storing a package does to the site's libraries."""

    new: list[LibraryInfo] = field(default_factory=list)
    # A newer patch of an installed library, with the row it replaces.
    updates: list[tuple[LibraryInfo, H5PLibrary]] = field(default_factory=list)
    # The files digest of every library in the package that is stored.
    digests: dict[str, str] = field(default_factory=dict)

    @property
    def stored_folders(self) -> set[str]:
        return {info.folder for info in self.new} | {
            info.folder for info, _row in self.updates
        }


def plan_libraries(
    package: ValidatedPackage,
    installed: dict[LibraryRef, H5PLibrary],
    uploaded_by: User | None = None,
) -> LibraryPlan:
    """Decide, before anything is written, what the package does to the site's
    libraries; raise ``H5PValidationError`` if it may not.

    ``uploaded_by`` None is the site itself (the command line): it may install.
    """
    plan = LibraryPlan()
    for info in package.libraries:
        row = installed.get(info.ref)
        if row is None:
            plan.new.append(info)
            plan.digests[info.folder] = library_digest(package, info)
        elif info.patch > row.patch_version:
            plan.updates.append((info, row))
            plan.digests[info.folder] = library_digest(package, info)
        elif info.patch == row.patch_version and row.files_digest:
            if library_digest(package, info) != row.files_digest:
                raise H5PValidationError(
                    "library_changed",
                    gettext_noop(
                        "The package holds %(library)s %(version)s, which this site "
                        "already has with different files. A library version never "
                        "changes: ask its author for a new patch version."
                    ),
                    library=info.machine_name,
                    version=row.version,
                )
    if (plan.new or plan.updates) and not _may_install(uploaded_by):
        missing = [
            f"{info.machine_name} {info.major}.{info.minor}.{info.patch}"
            for info in [*plan.new, *(info for info, _row in plan.updates)]
        ]
        raise H5PValidationError(
            "library_not_installed",
            gettext_noop(
                "This package needs libraries (or library updates) this site does "
                "not have yet: %(libraries)s. Only a programme manager may install "
                "them: tick “Send for approval” and upload it again to ask one."
            ),
            libraries=", ".join(sorted(missing)),
        )
    return plan


def _may_install(user: User | None) -> bool:
    return user is None or user.has_perm(INSTALL_LIBRARY_PERMISSION)


def library_digest(package: ValidatedPackage, info: LibraryInfo) -> str:
    """SHA-256 over the library folder's file names and contents, in name order."""
    prefix = f"{info.folder}/"
    names = sorted(
        entry.filename for entry in package.entries if entry.filename.startswith(prefix)
    )
    digest = hashlib.sha256()
    for name in names:
        file_hash = hashlib.sha256()
        with package.open_entry(name) as reader:
            while chunk := reader.read(1024 * 1024):
                file_hash.update(chunk)
        digest.update(name.removeprefix(prefix).encode() + b"\0")
        digest.update(file_hash.digest())
    return digest.hexdigest()
