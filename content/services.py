"""Every write about H5P activities: importing packages, recording xAPI results."""

from __future__ import annotations

import io
import math
import posixpath
import re
import uuid
import zipfile
from collections.abc import Mapping
from typing import Any, BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .h5p import (
    DEFAULT_LIMITS,
    H5PLimits,
    H5PValidationError,
    LibraryRef,
    ValidatedPackage,
    topological_library_order,
    validate_h5p_package,
)
from .h5p.errors import gettext_noop
from .models import H5P_STORAGE_ROOT, H5PActivity, H5PLibrary, XAPIStatement

ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ALLOWED_VERBS = frozenset(XAPIStatement.Verb.values)
MAX_STATEMENT_BYTES = 16 * 1024
_SUB_CONTENT_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


def rejection_message(error: H5PValidationError) -> str:
    """The validator's message in the current language."""
    return gettext(error.template) % error.params


# Import -----------------------------------------------------------------------


def import_h5p_package(
    fileobj: BinaryIO,
    uploaded_by=None,
    *,
    storage: Storage | None = None,
    limits: H5PLimits = DEFAULT_LIMITS,
) -> H5PActivity:
    """Validate an .h5p upload, then store its content and any new libraries.

    Raises ``H5PValidationError`` naming the first fault. Nothing is written until
    the package has passed every check and every entry has been inflated once with
    its checksum verified; if storing or saving still fails, every file written is
    deleted again and no row is left, so a refused upload leaves nothing behind.
    """
    storage = storage or default_storage
    installed = {library.ref: library for library in H5PLibrary.objects.all()}
    package = validate_h5p_package(
        fileobj, installed_libraries=set(installed), limits=limits
    )
    with package:
        package.verify_integrity()
        main_ref = _main_library_ref(package)
        key = uuid.uuid4()
        content_prefix = f"{H5P_STORAGE_ROOT}/content/{key}/"
        new_library_prefixes = {
            library.folder: (
                f"{H5P_STORAGE_ROOT}/libraries/{library.folder}.{library.patch}-"
                f"{uuid.uuid4().hex[:12]}/"
            )
            for library in package.libraries
            if library.ref not in installed
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
                main_ref,
                key,
                content_prefix,
                new_library_prefixes,
                uploaded_by,
            )
        except BaseException:
            _delete_files(storage, written)
            raise
    # Another upload installed the same library at the same moment: keep theirs.
    _delete_files(storage, [n for n in written if n.startswith(unused_prefixes)])
    return activity


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
    main_ref: LibraryRef,
    key: uuid.UUID,
    content_prefix: str,
    new_library_prefixes: Mapping[str, str],
    uploaded_by,
) -> tuple[H5PActivity, tuple[str, ...]]:
    unused_prefixes: list[str] = []
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
                    },
                )
                if not created:
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
        )
        activity.libraries.set(used.values())
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


class StatementRejected(Exception):
    """A reported xAPI statement was refused; ``message`` says why."""

    def __init__(self, message) -> None:
        self.message = message
        super().__init__(str(message))


def record_xapi_statement(user, activity: H5PActivity, statement: Any) -> XAPIStatement:
    """Check a statement the learner's browser reported for ``activity`` and keep it.

    The browser is not trusted: the learner is the one signed in (an actor naming
    anyone else is refused), the verb must be one of ``ALLOWED_VERBS`` (ADL), the
    object must be this activity or a part of it, and a score must lie within its
    range. The row is marked self-reported.
    """
    if not isinstance(statement, dict):
        raise StatementRejected(_("The statement must be a JSON object."))
    verb = _checked_verb(statement.get("verb"))
    sub_content_id = _checked_object(statement.get("object"), activity)
    _check_actor(statement.get("actor"), user)
    result = statement.get("result", {})
    if not isinstance(result, dict):
        raise StatementRejected(_("The statement's result must be an object."))
    raw, maximum, scaled = _checked_score(result.get("score"))
    success = _optional_bool(result, "success")
    completion = _optional_bool(result, "completion")
    stored = {
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": settings.SITE_URL, "name": str(user.pk)},
        },
        "verb": {"id": ADL_VERBS + verb},
        "object": {"id": statement["object"]["id"], "objectType": "Activity"},
        "result": {
            key: value
            for key, value in result.items()
            if key in ("score", "success", "completion", "duration", "response")
            and _small(value)
        },
    }
    with transaction.atomic():
        return XAPIStatement.objects.create(
            user=user,
            activity=activity,
            verb=verb,
            sub_content_id=sub_content_id,
            score_raw=raw,
            score_max=maximum,
            score_scaled=scaled,
            success=success,
            completion=completion,
            self_reported=True,
            statement=stored,
        )


def record_statement_in_lesson(
    user, course, activity: H5PActivity, statement: Any
) -> XAPIStatement:
    """Record a statement reported from a lesson of ``course``; where the course
    lets H5P results count, completing the course may now be due."""
    from courses.services import check_course_completion

    row = record_xapi_statement(user, activity, statement)
    if course.h5p_results_count_for_certificate:
        check_course_completion(user, course)
    return row


def _checked_verb(verb: Any) -> str:
    verb_id = verb.get("id") if isinstance(verb, dict) else None
    if isinstance(verb_id, str) and verb_id.startswith(ADL_VERBS):
        name = verb_id.removeprefix(ADL_VERBS)
        if name in ALLOWED_VERBS:
            return name
    raise StatementRejected(
        _("The verb is not one this site records (allowed: %(verbs)s).")
        % {"verbs": ", ".join(sorted(ALLOWED_VERBS))}
    )


def _checked_object(obj: Any, activity: H5PActivity) -> str:
    object_id = obj.get("id") if isinstance(obj, dict) else None
    if object_id == activity.xapi_object_id:
        return ""
    prefix = activity.xapi_object_id + "?subContentId="
    if isinstance(object_id, str) and object_id.startswith(prefix):
        sub_content_id = object_id.removeprefix(prefix)
        if _SUB_CONTENT_ID.fullmatch(sub_content_id):
            return sub_content_id
    raise StatementRejected(_("The statement is about a different activity."))


def _check_actor(actor: Any, user) -> None:
    """Refuse an actor that names a learner other than the one signed in.

    The player names its learner anonymously (it is never told who plays), so an
    anonymous actor is replaced by the signed-in learner; one that names an
    account on this site, or an e-mail address, must be theirs.
    """
    if actor is None:
        return
    if not isinstance(actor, dict):
        raise StatementRejected(_("The statement's actor must be an object."))
    mbox = actor.get("mbox")
    if mbox is not None and (
        not isinstance(mbox, str) or mbox.lower() != f"mailto:{user.email}".lower()
    ):
        raise StatementRejected(_("The statement names a different learner."))
    account = actor.get("account")
    if account is None:
        return
    if not isinstance(account, dict):
        raise StatementRejected(_("The statement's actor must be an object."))
    if account.get("homePage") == settings.SITE_URL and account.get("name") != str(
        user.pk
    ):
        raise StatementRejected(_("The statement names a different learner."))


def _number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def _checked_score(score: Any) -> tuple[float | None, float | None, float | None]:
    if score is None:
        return None, None, None
    out_of_range = StatementRejected(
        _(
            "The score is out of range: it needs a raw score from 0 to its maximum, "
            "and a scaled score from 0 to 1."
        )
    )
    if not isinstance(score, dict):
        raise out_of_range
    raw, maximum, minimum = score.get("raw"), score.get("max"), score.get("min", 0)
    scaled = score.get("scaled")
    if not (_number(raw) and _number(maximum) and _number(minimum)):
        raise out_of_range
    if not (minimum == 0 and 0 <= raw <= maximum and maximum > 0):
        raise out_of_range
    if scaled is not None:
        if not (_number(scaled) and 0 <= scaled <= 1):
            raise out_of_range
        if abs(scaled - raw / maximum) > 0.01:
            raise out_of_range
    else:
        scaled = round(raw / maximum, 4)
    return float(raw), float(maximum), float(scaled)


def _optional_bool(result: dict, key: str) -> bool | None:
    value = result.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise StatementRejected(
        _("The result's %(field)s must be true or false.") % {"field": key}
    )


def _small(value: Any) -> bool:
    return not isinstance(value, str) or len(value) <= 2000
