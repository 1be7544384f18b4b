"""Build valid and hostile .h5p packages in memory for tests.

The valid packages carry ``H5P.AllianceTestActivity``, a minimal but genuine H5P
content type written for these tests: it runs in an H5P player (h5p-standalone or
H5P core), shows a question and a "Complete" button (in English or Urdu), and
reports an xAPI "completed" statement with a score.

Hostile packages each carry one fault on top of that valid package, so a refusal
can only come from the fault under test. The crafted ones (zip bombs, lying
headers, 100,000 entries) are written byte by byte with ``raw_zip`` because
``zipfile`` would refuse to write them, or take seconds to.
"""

import functools
import io
import json
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

MIB = 1024 * 1024
GIB = 1024 * MIB

ACTIVITY_MACHINE_NAME = "H5P.AllianceTestActivity"
ACTIVITY_FOLDER = "H5P.AllianceTestActivity-1.0"
PROBE_MACHINE_NAME = "H5P.AllianceCookieProbe"
MISSING_LIBRARY = ("H5P.AllianceMissingHelper", 1, 0)

ACTIVITY_JS = r"""/* global H5P */
/**
 * H5P.AllianceTestActivity: the smallest real H5P content type, written for the
 * platform's tests. It shows a question and a "Complete" button; pressing the
 * button reports an xAPI "completed" statement with a full score.
 */
H5P.AllianceTestActivity = (function ($, EventDispatcher) {
  'use strict';

  var LABELS = {
    en: {complete: 'Complete', completed: 'Completed. Well done!'},
    ur: {complete: 'مکمل کریں', completed: 'مکمل ہو گیا۔ شاباش!'}
  };

  /**
   * @param {object} params From content.json: question, language, direction,
   *   maxScore and optional l10n labels.
   * @param {number} contentId
   * @param {object} [extras] Metadata and saved state from the player.
   */
  function AllianceTestActivity(params, contentId, extras) {
    EventDispatcher.call(this);
    this.params = $.extend(
      {question: '', language: 'en', direction: 'ltr', maxScore: 1, l10n: {}},
      params
    );
    this.contentId = contentId;
    this.extras = extras || {};
    this.score = 0;
    this.completed = false;
  }

  AllianceTestActivity.prototype = Object.create(EventDispatcher.prototype);
  AllianceTestActivity.prototype.constructor = AllianceTestActivity;

  AllianceTestActivity.prototype.attach = function ($container) {
    var self = this;
    var labels = $.extend(
      {}, LABELS[self.params.language] || LABELS.en, self.params.l10n
    );
    var direction = self.params.direction === 'rtl' ? 'rtl' : 'ltr';

    $container.empty()
      .addClass('h5p-alliance-test-activity')
      .attr({lang: self.params.language, dir: direction});
    $('<p>', {
      'class': 'h5p-alliance-test-activity-question',
      text: self.params.question
    }).appendTo($container);
    self.$button = $('<button>', {
      type: 'button',
      'class': 'h5p-alliance-test-activity-complete',
      text: labels.complete
    }).on('click', function () {
      self.complete();
      self.$status.text(labels.completed);
    }).appendTo($container);
    self.$status = $('<p>', {
      'class': 'h5p-alliance-test-activity-status',
      role: 'status'
    }).appendTo($container);
    self.$button.prop('disabled', self.completed);
  };

  /** Record completion once, with a full score, as an xAPI statement. */
  AllianceTestActivity.prototype.complete = function () {
    if (this.completed) {
      return;
    }
    this.completed = true;
    this.score = this.getMaxScore();
    if (this.$button) {
      this.$button.prop('disabled', true);
    }
    var event = this.createXAPIEventTemplate('completed');
    event.setScoredResult(this.score, this.getMaxScore(), this, true, true);
    this.trigger(event);
  };

  // The H5P question contract, so containers (Column, Course Presentation) can
  // ask for scores and reset.
  AllianceTestActivity.prototype.getAnswerGiven = function () {
    return this.completed;
  };
  AllianceTestActivity.prototype.getScore = function () {
    return this.score;
  };
  AllianceTestActivity.prototype.getMaxScore = function () {
    return this.params.maxScore;
  };
  AllianceTestActivity.prototype.showSolutions = function () {};
  AllianceTestActivity.prototype.resetTask = function () {
    this.completed = false;
    this.score = 0;
    if (this.$button) {
      this.$button.prop('disabled', false);
      this.$status.text('');
    }
  };

  return AllianceTestActivity;
})(H5P.jQuery, H5P.EventDispatcher);
"""

ACTIVITY_CSS = """.h5p-alliance-test-activity {
  padding: 1rem;
  font-size: 1rem;
  line-height: 1.5;
}
.h5p-alliance-test-activity[dir="rtl"] {
  text-align: right;
  line-height: 2.2; /* Nastaliq needs room above and below the line */
}
.h5p-alliance-test-activity-complete {
  min-height: 44px;
  padding: 0.5rem 1.5rem;
}
"""

ACTIVITY_SEMANTICS = [
    {"name": "question", "type": "text", "label": "Question", "importance": "high"},
    {
        "name": "language",
        "type": "select",
        "label": "Language",
        "default": "en",
        "options": [
            {"value": "en", "label": "English"},
            {"value": "ur", "label": "اردو"},
        ],
    },
    {
        "name": "direction",
        "type": "select",
        "label": "Text direction",
        "default": "ltr",
        "options": [
            {"value": "ltr", "label": "Left to right"},
            {"value": "rtl", "label": "Right to left"},
        ],
    },
    {"name": "maxScore", "type": "number", "label": "Score", "default": 1, "min": 1},
]

ACTIVITY_CONTENT = {
    "en": {
        "title": "Alliance test activity",
        "question": "Have you read today's lesson on classroom questioning?",
        "direction": "ltr",
    },
    "ur": {
        "title": "تدریسی سرگرمی",
        "question": "کیا آپ نے کلاس روم میں سوال پوچھنے پر آج کا سبق پڑھ لیا ہے؟",
        "direction": "rtl",
    },
}

PROBE_JS = r"""/* global H5P */
/**
 * H5P.AllianceCookieProbe: a HOSTILE content type for the platform's browser
 * tests. It does what malicious H5P code would: read document.cookie, reach into
 * the parent page, fetch a platform URL with the learner's credentials, and
 * report what it got by postMessage, by an xAPI statement and in its own page.
 * A safe player leaves it nothing worth reporting.
 */
H5P.AllianceCookieProbe = (function ($, EventDispatcher) {
  'use strict';

  function AllianceCookieProbe(params, contentId) {
    EventDispatcher.call(this);
    this.params = params || {};
    this.contentId = contentId;
  }

  AllianceCookieProbe.prototype = Object.create(EventDispatcher.prototype);
  AllianceCookieProbe.prototype.constructor = AllianceCookieProbe;

  AllianceCookieProbe.prototype.attach = function ($container) {
    var self = this;
    var report = {
      probe: 'alliance-h5p-cookie-probe',
      origin: String(window.location.origin),
      cookie: null,
      cookieError: null,
      parentCookie: null,
      parentError: null,
      fetchUrl: self.params.targetUrl,
      fetchStatus: null,
      fetchBody: null,
      fetchError: null
    };
    try {
      report.cookie = document.cookie;
    } catch (error) {
      report.cookieError = String(error);
    }
    try {
      report.parentCookie = window.parent.document.cookie;
    } catch (error) {
      report.parentError = String(error);
    }
    var $report = $('<pre>', {
      'class': 'h5p-alliance-cookie-probe-report',
      'data-probe-report': 'pending'
    }).appendTo($container);

    function send() {
      var text = JSON.stringify(report);
      $report.attr('data-probe-report', 'done').text(text);
      var message = {type: 'alliance-h5p-probe', report: report};
      try {
        window.parent.postMessage(message, '*');
        if (window.top !== window.parent) {
          window.top.postMessage(message, '*');
        }
      } catch (error) {
        report.postMessageError = String(error);
      }
      var event = self.createXAPIEventTemplate('answered');
      event.data.statement.result = {response: text};
      self.trigger(event);
    }

    if (typeof window.fetch !== 'function') {
      report.fetchError = 'fetch is not available';
      send();
      return;
    }
    window.fetch(self.params.targetUrl, {credentials: 'include'})
      .then(function (response) {
        report.fetchStatus = response.status;
        return response.text().then(function (body) {
          report.fetchBody = body.slice(0, 2000);
        });
      })
      .catch(function (error) {
        report.fetchError = String(error);
      })
      .then(send);
  };

  return AllianceCookieProbe;
})(H5P.jQuery, H5P.EventDispatcher);
"""


@dataclass
class LibrarySpec:
    """One library folder to put in a package."""

    machine_name: str
    major: int = 1
    minor: int = 0
    patch: int = 0
    runnable: int = 0
    # Files in the folder besides library.json, path -> bytes.
    files: dict[str, bytes] = field(default_factory=dict)
    preloaded_js: list[str] = field(default_factory=list)
    preloaded_css: list[str] = field(default_factory=list)
    preloaded_dependencies: list[tuple[str, int, int]] = field(default_factory=list)
    dynamic_dependencies: list[tuple[str, int, int]] = field(default_factory=list)
    editor_dependencies: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def ref(self) -> tuple[str, int, int]:
        return (self.machine_name, self.major, self.minor)

    @property
    def folder(self) -> str:
        return f"{self.machine_name}-{self.major}.{self.minor}"

    def library_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": self.machine_name.removeprefix("H5P."),
            "machineName": self.machine_name,
            "majorVersion": self.major,
            "minorVersion": self.minor,
            "patchVersion": self.patch,
            "runnable": self.runnable,
            "license": "MIT",
            "author": "Alliance Teachers Forum",
            "embedTypes": ["iframe"],
            "coreApi": {"majorVersion": 1, "minorVersion": 24},
        }
        if self.preloaded_js:
            data["preloadedJs"] = [{"path": path} for path in self.preloaded_js]
        if self.preloaded_css:
            data["preloadedCss"] = [{"path": path} for path in self.preloaded_css]
        for key, refs in (
            ("preloadedDependencies", self.preloaded_dependencies),
            ("dynamicDependencies", self.dynamic_dependencies),
            ("editorDependencies", self.editor_dependencies),
        ):
            if refs:
                data[key] = dependency_list(refs)
        return data


def dependency_list(refs: Iterable[tuple[str, int, int]]) -> list[dict[str, Any]]:
    return [
        {"machineName": name, "majorVersion": major, "minorVersion": minor}
        for name, major, minor in refs
    ]


def helper_library(
    machine_name: str, *dependencies: tuple[str, int, int]
) -> LibrarySpec:
    """A small non-runnable library with one script, depending on others."""
    script = f"H5P.{machine_name.removeprefix('H5P.')} = {{loaded: true}};\n"
    return LibrarySpec(
        machine_name=machine_name,
        files={"library.js": script.encode()},
        preloaded_js=["library.js"],
        preloaded_dependencies=list(dependencies),
    )


def activity_library(
    *dependencies: tuple[str, int, int],
) -> LibrarySpec:
    """``H5P.AllianceTestActivity`` 1.0, optionally depending on more libraries."""
    return LibrarySpec(
        machine_name=ACTIVITY_MACHINE_NAME,
        runnable=1,
        files={
            "activity.js": ACTIVITY_JS.encode(),
            "activity.css": ACTIVITY_CSS.encode(),
            "semantics.json": json_bytes(ACTIVITY_SEMANTICS),
        },
        preloaded_js=["activity.js"],
        preloaded_css=["activity.css"],
        preloaded_dependencies=list(dependencies),
    )


def package_files(
    *,
    title: str,
    language: str,
    main_library: LibrarySpec,
    content: Mapping[str, Any],
    libraries: Iterable[LibrarySpec] = (),
    preloaded_dependencies: Iterable[tuple[str, int, int]] | None = None,
    content_files: Mapping[str, bytes] | None = None,
) -> dict[str, bytes]:
    """The files of a package, name -> bytes, ready for ``zip_files``.

    h5p.json lists ``preloaded_dependencies`` (by default just the main library),
    as H5P's exporter lists the libraries the content itself uses.
    """
    all_libraries = [main_library, *libraries]
    if preloaded_dependencies is None:
        preloaded_dependencies = [main_library.ref]
    h5p_json = {
        "title": title,
        "language": language,
        "defaultLanguage": language,
        "mainLibrary": main_library.machine_name,
        "embedTypes": ["iframe"],
        "license": "U",
        "preloadedDependencies": dependency_list(preloaded_dependencies),
    }
    files = {
        "h5p.json": json_bytes(h5p_json),
        "content/content.json": json_bytes(content),
    }
    for name, data in (content_files or {}).items():
        files[f"content/{name}"] = data
    for library in all_libraries:
        files[f"{library.folder}/library.json"] = json_bytes(library.library_json())
        for path, data in library.files.items():
            files[f"{library.folder}/{path}"] = data
    return files


def activity_package_files(
    language: str = "en", *extra_libraries: LibrarySpec, main: LibrarySpec | None = None
) -> dict[str, bytes]:
    """The files of a valid one-question activity in English ("en") or Urdu."""
    text = ACTIVITY_CONTENT[language]
    return package_files(
        title=text["title"],
        language=language,
        main_library=main or activity_library(),
        libraries=extra_libraries,
        content={
            "question": text["question"],
            "language": language,
            "direction": text["direction"],
            "maxScore": 1,
        },
    )


def zip_files(entries: Mapping[str, bytes] | Iterable[tuple[Any, bytes]]) -> io.BytesIO:
    """Zip ``entries`` (name or ``ZipInfo``, bytes) with deflate, in order."""
    if isinstance(entries, Mapping):
        entries = entries.items()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode()


# Valid packages ---------------------------------------------------------------


def build_activity_package(language: str = "en") -> io.BytesIO:
    """A valid package: one ``H5P.AllianceTestActivity`` question."""
    return zip_files(activity_package_files(language))


def build_editor_written_package(
    language: str = "en", default_language: str | None = "en"
) -> io.BytesIO:
    """The activity as H5P's editor exports it: h5p.json's ``language`` is
    "und" and the author's language is in ``defaultLanguage`` (or missing)."""
    files = activity_package_files(language)
    h5p_json = json.loads(files["h5p.json"])
    h5p_json["language"] = "und"
    if default_language is None:
        del h5p_json["defaultLanguage"]
    else:
        h5p_json["defaultLanguage"] = default_language
    files["h5p.json"] = json_bytes(h5p_json)
    return zip_files(files)


def build_urdu_activity_package() -> io.BytesIO:
    """The same activity in Urdu: language "ur", right to left."""
    return build_activity_package("ur")


def build_cookie_probe_package(target_url: str) -> io.BytesIO:
    """A VALID package whose content type is hostile (see ``PROBE_JS``).

    For browser tests of the player's sandbox: the package passes validation, as a
    cleverly written malicious one would; the player must still contain it.
    ``target_url`` is the platform URL it tries to fetch with credentials.
    """
    probe = LibrarySpec(
        machine_name=PROBE_MACHINE_NAME,
        runnable=1,
        files={"probe.js": PROBE_JS.encode()},
        preloaded_js=["probe.js"],
    )
    return zip_files(
        package_files(
            title="Alliance cookie probe",
            language="en",
            main_library=probe,
            content={"targetUrl": target_url},
        )
    )


# Hostile packages -------------------------------------------------------------


def build_not_a_zip() -> io.BytesIO:
    """A PHP web shell renamed to .h5p."""
    return io.BytesIO(b"<?php system($_GET['cmd']); ?>\n")


def build_truncated_package() -> io.BytesIO:
    """A valid package cut off half way, as an interrupted upload leaves it."""
    data = build_activity_package().getvalue()
    return io.BytesIO(data[: len(data) // 2])


def build_package_without_h5p_json() -> io.BytesIO:
    files = activity_package_files()
    del files["h5p.json"]
    return zip_files(files)


def build_package_with_missing_dependency() -> io.BytesIO:
    """The activity needs ``MISSING_LIBRARY``, which the package does not carry."""
    return zip_files(activity_package_files(main=activity_library(MISSING_LIBRARY)))


def build_package_with_entry(entry: str | zipfile.ZipInfo, data: bytes) -> io.BytesIO:
    """The valid activity package plus one more entry."""
    return zip_files([*activity_package_files().items(), (entry, data)])


def build_package_with_path_traversal() -> io.BytesIO:
    return build_package_with_entry("../../outside.json", b"{}")


def build_package_with_absolute_path() -> io.BytesIO:
    return build_package_with_entry("/etc/cron.d/outside.json", b"{}")


def build_package_with_symlink() -> io.BytesIO:
    """A content image that is really a link to the server's /etc/passwd."""
    link = zipfile.ZipInfo("content/images/photo.png", date_time=(2024, 1, 1, 0, 0, 0))
    link.create_system = 3  # Unix, so the mode below is read
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    return build_package_with_entry(link, b"/etc/passwd")


def build_package_with_php_file() -> io.BytesIO:
    return build_package_with_entry(
        "content/images/shell.php", b"<?php system($_GET['cmd']); ?>\n"
    )


def build_package_with_script_in_content() -> io.BytesIO:
    """JavaScript in content/, where an author's upload would become code."""
    return build_package_with_entry(
        "content/images/payload.js", b"fetch('/accounts/').then(r => r.text());\n"
    )


def build_zip_bomb(
    uncompressed_size: int = GIB, name: str = "content/videos/lesson.mp4"
) -> io.BytesIO:
    """The valid package plus a genuine bomb: ``uncompressed_size`` zero bytes.

    Its headers tell the truth (size, CRC), so only the size and ratio give it
    away. 1 GiB deflates to about 1 MB; built in well under a second.
    """
    entries = [RawEntry.deflated(n, d) for n, d in activity_package_files().items()]
    entries.append(
        RawEntry(
            name=name,
            payload=deflated_zeros(uncompressed_size),
            crc=crc32_of_zeros(uncompressed_size),
            file_size=uncompressed_size,
        )
    )
    return io.BytesIO(raw_zip(entries))


def build_package_with_lying_json_size(
    hidden_size: int = GIB, declared_size: int = 2048
) -> io.BytesIO:
    """content/content.json declares ``declared_size`` bytes but inflates to
    ``hidden_size`` zeros: a bomb hiding behind a header that looks harmless
    (its declared size is smaller than its packed size, so no ratio shows)."""
    files = activity_package_files()
    entries = [
        RawEntry.deflated(n, d) for n, d in files.items() if n != "content/content.json"
    ]
    entries.append(
        RawEntry(
            name="content/content.json",
            payload=deflated_zeros(hidden_size),
            crc=crc32_of_zeros(hidden_size),
            file_size=declared_size,
        )
    )
    return io.BytesIO(raw_zip(entries))


def build_package_with_many_entries(
    count: int = 100_000, *, declared_count: int | None = None
) -> io.BytesIO:
    """The valid package plus ``count`` empty content files.

    ``declared_count`` makes the end record lie about how many entries there are.
    """
    return io.BytesIO(_many_entries_zip(count, declared_count))


@functools.cache
def _many_entries_zip(count: int, declared_count: int | None) -> bytes:
    entries = [RawEntry.deflated(n, d) for n, d in activity_package_files().items()]
    entries += [
        RawEntry.stored(f"content/images/i{number:06d}.png", b"")
        for number in range(count)
    ]
    return raw_zip(entries, declared_count=declared_count)


# Writing zips by hand ---------------------------------------------------------


@dataclass
class RawEntry:
    """One zip entry as it will be written, headers exactly as given."""

    name: str
    payload: bytes  # the bytes stored in the archive (raw deflate or as is)
    crc: int
    file_size: int  # declared uncompressed size
    method: int = zipfile.ZIP_DEFLATED
    external_attr: int = (stat.S_IFREG | 0o644) << 16
    flags: int = 0  # general purpose bits; 0x1 marks the entry encrypted

    @classmethod
    def deflated(cls, name: str, data: bytes) -> "RawEntry":
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        payload = compressor.compress(data) + compressor.flush()
        return cls(name, payload, zlib.crc32(data), len(data))

    @classmethod
    def stored(cls, name: str, data: bytes) -> "RawEntry":
        return cls(name, data, zlib.crc32(data), len(data), zipfile.ZIP_STORED)


_DOS_DATE_2024_01_01 = ((2024 - 1980) << 9) | (1 << 5) | 1


def raw_zip(entries: Iterable[RawEntry], *, declared_count: int | None = None) -> bytes:
    """Write a zip (Zip64 end records when over 65,535 entries) from raw entries."""
    body = bytearray()
    directory = bytearray()
    count = 0
    for entry in entries:
        name = entry.name.encode()
        flags = entry.flags | (0 if name.isascii() else 0x800)  # 0x800: UTF-8 name
        sizes = (entry.crc, len(entry.payload), entry.file_size)
        offset = len(body)
        body += struct.pack(
            "<4s2B4HL2L2H",
            b"PK\x03\x04",
            20,
            0,
            flags,
            entry.method,
            0,
            _DOS_DATE_2024_01_01,
            *sizes,
            len(name),
            0,
        )
        body += name + entry.payload
        directory += struct.pack(
            "<4s4B4HL2L5H2L",
            b"PK\x01\x02",
            20,
            3,  # made on Unix
            20,
            0,
            flags,
            entry.method,
            0,
            _DOS_DATE_2024_01_01,
            *sizes,
            len(name),
            0,
            0,
            0,
            0,
            entry.external_attr,
            offset,
        )
        directory += name
        count += 1
    if declared_count is None:
        declared_count = count
    end = bytearray()
    directory_offset = len(body)
    if declared_count > 0xFFFF:
        zip64_end_offset = directory_offset + len(directory)
        end += struct.pack(
            "<4sQ2H2L4Q",
            b"PK\x06\x06",
            44,
            45,
            45,
            0,
            0,
            declared_count,
            declared_count,
            len(directory),
            directory_offset,
        )
        end += struct.pack("<4sLQL", b"PK\x06\x07", 0, zip64_end_offset, 1)
    short_count = min(declared_count, 0xFFFF)
    end += struct.pack(
        "<4s4H2LH",
        b"PK\x05\x06",
        0,
        0,
        short_count,
        short_count,
        len(directory),
        directory_offset,
        0,
    )
    return bytes(body + directory + end)


def deflated_zeros(size: int) -> bytes:
    """A raw deflate stream of ``size`` zero bytes, made without deflating them all.

    Each 1 MiB of zeros compresses (after a full flush, which resets the window)
    to the same bytes, so the stream is that segment repeated, a shorter tail,
    and an empty final block.
    """
    whole, rest = divmod(size, MIB)
    stream = bytearray(_deflate_block(MIB) * whole)
    if rest:
        stream += _deflate_block(rest)
    stream += zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    return bytes(stream)


def _deflate_block(size: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(bytes(size)) + compressor.flush(zlib.Z_FULL_FLUSH)


@functools.cache
def crc32_of_zeros(size: int) -> int:
    """CRC-32 of ``size`` zero bytes, by doubling instead of hashing them all."""
    crc = zlib.crc32(bytes(size % MIB))
    block_crc, block_size = zlib.crc32(bytes(MIB)), MIB
    whole = size // MIB
    while whole:
        if whole & 1:
            crc = crc32_combine(crc, block_crc, block_size)
        block_crc = crc32_combine(block_crc, block_crc, block_size)
        block_size *= 2
        whole >>= 1
    return crc


def crc32_combine(crc1: int, crc2: int, size2: int) -> int:
    """CRC-32 of A + B from crc(A), crc(B) and len(B): zlib's crc32_combine."""
    if size2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << bit for bit in range(31)]  # one zero bit
    even = _gf2_square(odd)  # two zero bits
    odd = _gf2_square(even)  # four zero bits
    while True:
        even = _gf2_square(odd)
        if size2 & 1:
            crc1 = _gf2_times(even, crc1)
        size2 >>= 1
        if not size2:
            break
        odd = _gf2_square(even)
        if size2 & 1:
            crc1 = _gf2_times(odd, crc1)
        size2 >>= 1
        if not size2:
            break
    return crc1 ^ crc2


def _gf2_times(matrix: list[int], vector: int) -> int:
    total = 0
    row = 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[row]) for row in range(32)]


# Packages that need more than the strictest player allows --------------------
#
# Each carries a small runnable library doing what a common hub content type
# does, then writing a marker into its own DOM: ``data-alliance-played`` with what
# it saw when it worked, ``data-alliance-failed`` with the error when it did not.

BEHAVIOUR_JS_HEAD = r"""/* global H5P */
H5P.MACHINE_NAME = (function ($, EventDispatcher) {
  'use strict';
  var FOLDER = 'H5P.MACHINE_NAME-1.0';

  function AllianceBehaviour(params, contentId) {
    EventDispatcher.call(this);
    this.params = params || {};
    this.contentId = contentId;
  }
  AllianceBehaviour.prototype = Object.create(EventDispatcher.prototype);
  AllianceBehaviour.prototype.constructor = AllianceBehaviour;

  function played($box, value) {
    $box.attr('data-alliance-played', String(value));
  }
  function failed($box, error) {
    $box.attr('data-alliance-failed', String(error && error.message || error));
  }

  AllianceBehaviour.prototype.attach = function ($container) {
    var $box = $('<div>', {'class': 'h5p-alliance-behaviour'}).appendTo($container);
    var libraryPath = H5P.getLibraryPath(FOLDER);
"""

BEHAVIOUR_JS_TAIL = r"""
  };
  return AllianceBehaviour;
})(H5P.jQuery, H5P.EventDispatcher);
"""

# As H5P's EmbeddedJS (used by Multiple Choice, Question Set, Course
# Presentation, Interactive Video) compiles its templates.
EVALUATES_TEMPLATE_JS = r"""
    try {
      var template = new Function('data', 'return "<p>" + data.text + "</p>";');
      $box.html(template({text: 'template rendered'}));
      played($box, $box.text());
    } catch (error) {
      failed($box, error);
    }
"""

# As Timeline does: its library reads its own library.json. jQuery believes the
# player's address is its origin, so it adds X-Requested-With: a CORS preflight.
READS_LIBRARY_JSON_JS = r"""
    $.ajax({url: libraryPath + '/library.json', dataType: 'json'})
      .done(function (library) { played($box, library.machineName); })
      .fail(function (xhr, status, error) { failed($box, status + ' ' + error); });
"""

# As Arithmetic Quiz and Single Choice Set play their library's sounds.
PLAYS_SOUND_JS = r"""
    var audio = document.createElement('audio');
    audio.preload = 'auto';
    audio.addEventListener('error', function () {
      failed($box, 'audio error ' + (audio.error && audio.error.code));
    });
    audio.addEventListener('playing', function () { played($box, 'sound playing'); });
    audio.src = libraryPath + '/sounds/right-answer.wav';
    $box.append(audio);
    $('<button>', {type: 'button', 'class': 'h5p-alliance-behaviour-play',
      text: 'Play'}).on('click', function () {
      var playing = audio.play();
      if (playing && playing.catch) {
        playing.catch(function (error) { failed($box, error); });
      }
    }).appendTo($box);
"""

# As Agamotto reads back the pixels of images it draws on a canvas.
READS_CANVAS_JS = r"""
    var image = new Image();
    var source = libraryPath + '/images/marker.png';
    var crossOrigin = H5P.getCrossOrigin(source);
    if (crossOrigin) {
      image.crossOrigin = crossOrigin;
    }
    image.onload = function () {
      try {
        var canvas = document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        var context = canvas.getContext('2d');
        context.drawImage(image, 0, 0);
        var pixel = context.getImageData(0, 0, 1, 1).data;
        played($box, 'rgb(' + pixel[0] + ',' + pixel[1] + ',' + pixel[2] + ')');
      } catch (error) {
        failed($box, error);
      }
    };
    image.onerror = function () { failed($box, 'image did not load'); };
    image.src = source;
"""

# As Interactive Video plays a video from a URL the author gave (an mp4 host).
PLAYS_REMOTE_MEDIA_JS = r"""
    var media = document.createElement('audio');
    media.preload = 'auto';
    media.addEventListener('loadeddata', function () {
      played($box, 'remote media loaded');
    });
    media.addEventListener('error', function () {
      failed($box, 'media error ' + (media.error && media.error.code));
    });
    media.src = this.params.mediaUrl;
    $box.append(media);
"""

# As jQuery 3 (in H5P core) parses HTML strings: in a document of its own whose
# <base> is the player's address, so relative addresses in the HTML still work.
PARSES_HTML_JS = r"""
    var parsed = document.implementation.createHTMLDocument('');
    var base = parsed.createElement('base');
    base.href = document.location.href;
    parsed.head.appendChild(base);
    if (parsed.baseURI === document.location.href) {
      played($box, 'base kept');
    } else {
      failed($box, 'base ' + parsed.baseURI);
    }
"""

# Where the player fetched this library's script from, and where H5P core says
# its files are: both under the library's full version (H5P.Foo-1.0.0).
REPORTS_LIBRARY_ADDRESSES_JS = r"""
    var script = performance.getEntriesByType('resource').map(function (entry) {
      return entry.name;
    }).filter(function (name) { return /behaviour\.js$/.test(name); })[0];
    played($box, libraryPath + ' ' + script);
"""

# As Audio Recorder encodes its recording: in a worker made from a blob: address.
# The worker then tries to read ``params.target`` (a page of the site): it runs
# in the frame's opaque origin under the frame's policy, so it must not.
RUNS_WORKER_JS = r"""
    var source = 'onmessage = function (event) {' +
      '  fetch(event.data).then(' +
      '    function () { postMessage("worker ran; read the site"); },' +
      '    function () { postMessage("worker ran; site not readable"); });' +
      '};';
    try {
      var address = URL.createObjectURL(new Blob([source], {type: 'text/javascript'}));
      var worker = new Worker(address);
      worker.onmessage = function (event) { played($box, event.data); };
      worker.onerror = function (event) {
        failed($box, 'worker error ' + (event.message || ''));
      };
      worker.postMessage(this.params.target || '/');
    } catch (error) {
      failed($box, error);
    }
"""

# As Virtual Tour (H5P.ThreeSixty, three.js) turns a content image into a WebGL
# texture: H5P.setSource gives the image the player's crossOrigin, and WebGL
# refuses an image without CORS, so a missing Access-Control-Allow-Origin on
# content files shows as a black panorama. Reads the texture back.
LOADS_WEBGL_TEXTURE_JS = r"""
    var image = new Image();
    image.onload = function () {
      try {
        var gl = document.createElement('canvas').getContext('webgl');
        if (!gl) {
          failed($box, 'no WebGL');
          return;
        }
        var texture = gl.createTexture();
        gl.bindTexture(gl.TEXTURE_2D, texture);
        gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, image);
        var framebuffer = gl.createFramebuffer();
        gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
        gl.framebufferTexture2D(
          gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0);
        var pixel = new Uint8Array(4);
        gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
        var error = gl.getError();
        if (error !== gl.NO_ERROR) {
          failed($box, 'WebGL error ' + error);
          return;
        }
        played($box, 'rgb(' + pixel[0] + ',' + pixel[1] + ',' + pixel[2] + ')');
      } catch (error) {
        failed($box, error);
      }
    };
    image.onerror = function () { failed($box, 'image did not load'); };
    H5P.setSource(image, this.params.scene, this.contentId);
"""

# A content type that breaks before it shows anything.
FAILS_TO_START_JS = r"""
    throw new Error('The activity could not start.');
"""

BEHAVIOURS = {
    "evaluates-template": EVALUATES_TEMPLATE_JS,
    "reads-library-json": READS_LIBRARY_JSON_JS,
    "plays-sound": PLAYS_SOUND_JS,
    "reads-canvas": READS_CANVAS_JS,
    "loads-webgl-texture": LOADS_WEBGL_TEXTURE_JS,
    "fails-to-start": FAILS_TO_START_JS,
    "plays-remote-media": PLAYS_REMOTE_MEDIA_JS,
    "parses-html": PARSES_HTML_JS,
    "reports-library-addresses": REPORTS_LIBRARY_ADDRESSES_JS,
    "runs-worker": RUNS_WORKER_JS,
}

# The marker image's one colour, as the canvas reads it back.
MARKER_RGB = (200, 30, 90)


def wav_bytes(seconds: float = 0.5, rate: int = 8000) -> bytes:
    """A short 440 Hz tone as 8-bit mono PCM WAV."""
    import math

    frames = bytes(
        int(128 + 100 * math.sin(2 * math.pi * 440 * n / rate))
        for n in range(int(seconds * rate))
    )
    header = struct.pack(
        "<4sL4s4sLHHLLHH4sL",
        b"RIFF",
        36 + len(frames),
        b"WAVE",
        b"fmt ",
        16,
        1,  # PCM
        1,  # mono
        rate,
        rate,  # bytes per second
        1,  # block align
        8,  # bits per sample
        b"data",
        len(frames),
    )
    return header + frames


def png_bytes(rgb: tuple[int, int, int] = MARKER_RGB, size: int = 4) -> bytes:
    """A ``size`` x ``size`` PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">L", len(data)) + body + struct.pack(">L", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * size
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">2L5B", size, size, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


def behaviour_machine_name(behaviour: str) -> str:
    """One library per behaviour: "reads-canvas" -> "H5P.AllianceReadsCanvas"."""
    return "H5P.Alliance" + "".join(word.title() for word in behaviour.split("-"))


def behaviour_library(behaviour: str) -> LibrarySpec:
    name = behaviour_machine_name(behaviour).removeprefix("H5P.")
    script = (BEHAVIOUR_JS_HEAD + BEHAVIOURS[behaviour] + BEHAVIOUR_JS_TAIL).replace(
        "MACHINE_NAME", name
    )
    return LibrarySpec(
        machine_name=f"H5P.{name}",
        runnable=1,
        files={
            "behaviour.js": script.encode(),
            "sounds/right-answer.wav": wav_bytes(),
            "images/marker.png": png_bytes(),
        },
        preloaded_js=["behaviour.js"],
    )


def build_behaviour_package(
    behaviour: str,
    title: str = "",
    content: Mapping[str, Any] | None = None,
    content_files: Mapping[str, bytes] | None = None,
) -> io.BytesIO:
    """A valid package whose content type does ``behaviour`` (see BEHAVIOURS);
    ``content`` is its content.json ("plays-remote-media" reads ``mediaUrl``,
    "runs-worker" ``target``, "loads-webgl-texture" ``scene``) and
    ``content_files`` the files beside it (path under content/ -> bytes)."""
    return zip_files(
        package_files(
            title=title or f"Alliance {behaviour}",
            language="en",
            main_library=behaviour_library(behaviour),
            content=content or {},
            content_files=content_files,
        )
    )
