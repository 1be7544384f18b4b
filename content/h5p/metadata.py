"""The JSON files of an H5P package: h5p.json, content.json and library.json.

Field rules follow H5P core's H5PValidator ($h5pRequired, $libraryRequired and
the dependency patterns), so a package H5P accepts is accepted here too.
"""

import json
import re
from dataclasses import dataclass
from typing import Any

from .errors import H5PValidationError
from .errors import gettext_noop as _
from .libraries import LibraryRef

_TITLE = re.compile(r".{1,255}")  # "." stops at a newline, as in H5P core
_LANGUAGE = re.compile(r"[-a-zA-Z]{1,10}")
_MAIN_LIBRARY = re.compile(r"[$a-z_][0-9a-z_.$]{1,254}", re.IGNORECASE | re.ASCII)
_MACHINE_NAME = re.compile(r"[\w.-]{1,255}", re.ASCII)
_VERSION_TEXT = re.compile(r"[0-9]{1,5}")
# H5P core's pattern for preloadedJs/preloadedCss paths, without its backslash.
_LIBRARY_FILE_PATH = re.compile(r"[a-z_\-\s0-9.]+(/[a-z_\-\s0-9.]+)*", re.IGNORECASE)
EMBED_TYPES = frozenset({"iframe", "div"})


@dataclass(frozen=True)
class H5PJson:
    """The checked fields of h5p.json."""

    title: str
    language: str
    main_library: str
    preloaded_dependencies: list[LibraryRef]
    dynamic_dependencies: list[LibraryRef]


@dataclass(frozen=True)
class LibraryJson:
    """The checked fields of one library.json."""

    ref: LibraryRef
    patch: int
    preloaded_js: list[str]
    preloaded_css: list[str]
    preloaded_dependencies: list[LibraryRef]
    dynamic_dependencies: list[LibraryRef]
    editor_dependencies: list[LibraryRef]


def parse_json_object(data: bytes, source: str) -> dict[str, Any]:
    """Parse UTF-8 JSON text that must hold an object."""
    try:
        # utf-8-sig: some editors save a byte-order mark; it is harmless.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _bad_json(source, f"not UTF-8 text: {error.reason}") from error
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError as error:
        raise _bad_json(source, "nested too deeply") from error
    except json.JSONDecodeError as error:
        raise _bad_json(
            source, f"{error.msg} at line {error.lineno}, column {error.colno}"
        ) from error
    except ValueError as error:  # NaN or Infinity, or a number too long to read
        raise _bad_json(source, str(error)) from error
    if not isinstance(value, dict):
        raise _bad_json(source, "it must hold a JSON object ({...})")
    return value


def check_h5p_json(data: dict[str, Any]) -> H5PJson:
    source = "h5p.json"
    title = _required(data, "title", source)
    if not (isinstance(title, str) and _TITLE.fullmatch(title)):
        raise _bad_field(
            source, "title", _("a text of 1 to 255 characters on one line")
        )
    language = _required(data, "language", source)
    if not (isinstance(language, str) and _LANGUAGE.fullmatch(language)):
        raise _bad_field(source, "language", _('a language code such as "ur"'))
    main_library = _required(data, "mainLibrary", source)
    if not (isinstance(main_library, str) and _MAIN_LIBRARY.fullmatch(main_library)):
        raise _bad_field(
            source, "mainLibrary", _('a library name such as "H5P.MultiChoice"')
        )
    embed_types = _required(data, "embedTypes", source)
    if not (
        isinstance(embed_types, list)
        and embed_types
        and all(
            isinstance(embed, str) and embed in EMBED_TYPES for embed in embed_types
        )
    ):
        raise _bad_field(source, "embedTypes", _('a list of "iframe" and/or "div"'))
    _required(data, "preloadedDependencies", source)
    preloaded = _dependencies(data, "preloadedDependencies", source)
    if not any(ref.machine_name == main_library for ref in preloaded):
        raise _bad_field(
            source,
            "preloadedDependencies",
            _("a list that includes the main library %(main_library)s")
            % {"main_library": main_library},
        )
    return H5PJson(
        title=title,
        language=language,
        main_library=main_library,
        preloaded_dependencies=preloaded,
        dynamic_dependencies=_dependencies(data, "dynamicDependencies", source),
    )


def check_library_json(data: dict[str, Any], source: str) -> LibraryJson:
    title = _required(data, "title", source)
    if not (isinstance(title, str) and _TITLE.fullmatch(title)):
        raise _bad_field(
            source, "title", _("a text of 1 to 255 characters on one line")
        )
    machine_name = _required(data, "machineName", source)
    if not (isinstance(machine_name, str) and _MACHINE_NAME.fullmatch(machine_name)):
        raise _bad_field(
            source, "machineName", _('a library name such as "H5P.MultiChoice"')
        )
    major = _version(data, "majorVersion", source)
    minor = _version(data, "minorVersion", source)
    patch = _version(data, "patchVersion", source)
    runnable = _required(data, "runnable", source)
    if runnable not in (0, 1):
        raise _bad_field(source, "runnable", _("0 or 1"))
    return LibraryJson(
        ref=LibraryRef(machine_name, major, minor),
        patch=patch,
        preloaded_js=_library_files(data, "preloadedJs", "js", source),
        preloaded_css=_library_files(data, "preloadedCss", "css", source),
        preloaded_dependencies=_dependencies(data, "preloadedDependencies", source),
        dynamic_dependencies=_dependencies(data, "dynamicDependencies", source),
        editor_dependencies=_dependencies(data, "editorDependencies", source),
    )


def _required(data: dict[str, Any], field: str, source: str) -> Any:
    # PHP's isset(), which H5P core uses, treats null as missing.
    if data.get(field) is None:
        raise H5PValidationError(
            "missing_field",
            _('%(source)s is missing the required field "%(field)s".'),
            source=source,
            field=field,
        )
    return data[field]


def _version(data: dict[str, Any], field: str, source: str) -> int:
    value = _required(data, field, source)
    return _version_value(value, field, source)


def _version_value(value: Any, field: str, source: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**5:
        return value
    if isinstance(value, str) and _VERSION_TEXT.fullmatch(value):
        return int(value)
    raise _bad_field(source, field, _("a whole number from 0 to 99999"))


def _dependencies(data: dict[str, Any], field: str, source: str) -> list[LibraryRef]:
    value = data.get(field)
    if value is None:
        return []
    expected = _(
        "a list of libraries, each with machineName, majorVersion and minorVersion"
    )
    if not isinstance(value, list):
        raise _bad_field(source, field, expected)
    dependencies = []
    for item in value:
        if not isinstance(item, dict):
            raise _bad_field(source, field, expected)
        machine_name = item.get("machineName")
        if not (
            isinstance(machine_name, str) and _MACHINE_NAME.fullmatch(machine_name)
        ):
            raise _bad_field(source, field, expected)
        dependencies.append(
            LibraryRef(
                machine_name,
                _version_value(item.get("majorVersion"), field, source),
                _version_value(item.get("minorVersion"), field, source),
            )
        )
    return dependencies


def _library_files(
    data: dict[str, Any], field: str, extension: str, source: str
) -> list[str]:
    value = data.get(field)
    if value is None:
        return []
    paths = []
    for item in value if isinstance(value, list) else [None]:
        path = item.get("path") if isinstance(item, dict) else None
        if not (
            isinstance(path, str)
            and _LIBRARY_FILE_PATH.fullmatch(path)
            and path.lower().endswith(f".{extension}")
        ):
            raise _bad_field(
                source,
                field,
                _('a list of {"path": ...} entries naming .%(extension)s files')
                % {"extension": extension},
            )
        paths.append(path)
    return paths


def _refuse_constant(name: str) -> None:
    # Python reads NaN and Infinity; JSON (and PHP, which H5P core runs on) does not.
    raise ValueError(f"{name} is not valid JSON")


def _bad_json(source: str, detail: str) -> H5PValidationError:
    return H5PValidationError(
        "bad_json",
        _("%(source)s is not valid JSON: %(detail)s."),
        source=source,
        detail=detail,
    )


def _bad_field(source: str, field: str, expected: str) -> H5PValidationError:
    return H5PValidationError(
        "bad_field",
        _('In %(source)s, the field "%(field)s" must be %(expected)s.'),
        source=source,
        field=field,
        expected=expected,
    )
