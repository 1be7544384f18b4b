"""The H5P package validator accepts real packages and refuses hostile ones.

Pure Python: runs in the full suite, or alone without Django
(``pytest -p no:django --noconftest content/tests/test_h5p_validation.py``; the
root conftest.py imports Django).
"""

import io
import json
import random
import shutil
import subprocess
import zipfile

import pytest
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext

from content.h5p import (
    H5PLimits,
    H5PValidationError,
    LibraryRef,
    topological_library_order,
    validate_h5p_package,
)
from content.h5p.archive import read_entry
from content.services import rejection_message
from content.tests.h5p_builders import (
    ACTIVITY_FOLDER,
    ACTIVITY_JS,
    ACTIVITY_MACHINE_NAME,
    GIB,
    MIB,
    MISSING_LIBRARY,
    PROBE_JS,
    PROBE_MACHINE_NAME,
    RawEntry,
    activity_library,
    activity_package_files,
    build_activity_package,
    build_cookie_probe_package,
    build_not_a_zip,
    build_package_with_absolute_path,
    build_package_with_entry,
    build_package_with_lying_json_size,
    build_package_with_many_entries,
    build_package_with_missing_dependency,
    build_package_with_path_traversal,
    build_package_with_php_file,
    build_package_with_script_in_content,
    build_package_with_symlink,
    build_package_without_h5p_json,
    build_truncated_package,
    build_urdu_activity_package,
    build_zip_bomb,
    crc32_of_zeros,
    deflated_zeros,
    helper_library,
    json_bytes,
    raw_zip,
    zip_files,
)

BASE = ("H5P.AllianceBase", 1, 0)
HELPER = ("H5P.AllianceHelper", 1, 0)
STYLES = ("H5P.AllianceStyles", 1, 0)
ACTIVITY = (ACTIVITY_MACHINE_NAME, 1, 0)


class ReadRecorder:
    """A seekable file that records every byte range read from it."""

    def __init__(self, buffer: io.BytesIO) -> None:
        self._file = buffer
        self.reads: list[tuple[int, int]] = []

    def read(self, size: int = -1) -> bytes:
        start = self._file.tell()
        data = self._file.read(size)
        self.reads.append((start, start + len(data)))
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def seekable(self) -> bool:
        return True

    @property
    def bytes_read(self) -> int:
        return sum(end - start for start, end in self.reads)

    def bytes_read_within(self, start: int, end: int) -> int:
        return sum(
            max(0, min(end, read_end) - max(start, read_start))
            for read_start, read_end in self.reads
        )


def data_range(buffer: io.BytesIO, name: str) -> tuple[int, int]:
    """Where an entry's packed data lies in the archive (read with zipfile)."""
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        info = archive.getinfo(name)
    local_header = buffer.getvalue()[info.header_offset : info.header_offset + 30]
    name_length = int.from_bytes(local_header[26:28], "little")
    extra_length = int.from_bytes(local_header[28:30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    return start, start + info.compress_size


def refusal(fileobj, **kwargs) -> H5PValidationError:
    with pytest.raises(H5PValidationError) as caught:
        validate_h5p_package(fileobj, **kwargs)
    return caught.value


def with_file(files: dict[str, bytes], name: str, data: bytes) -> io.BytesIO:
    return zip_files({**files, name: data})


# Valid packages -----------------------------------------------------------------


def test_activity_package_is_accepted_with_its_metadata():
    package = validate_h5p_package(build_activity_package())

    assert package.title == "Alliance test activity"
    assert package.main_library == ACTIVITY_MACHINE_NAME
    assert package.main_library_ref == ACTIVITY
    assert package.language == "en"
    assert package.h5p_json["embedTypes"] == ["iframe"]
    assert package.content_json["question"].startswith("Have you read")
    assert package.content_files == ["content/content.json"]
    [library] = package.libraries
    assert library.ref == ACTIVITY
    assert (library.patch, library.folder) == (0, ACTIVITY_FOLDER)
    assert library.runnable
    assert library.preloaded_js == ["activity.js"]
    assert library.preloaded_css == ["activity.css"]
    assert library.library_json["machineName"] == ACTIVITY_MACHINE_NAME
    assert {info.filename for info in package.entries} == set(activity_package_files())
    assert package.topological_library_order() == [ACTIVITY]


def test_package_with_folder_entries_is_accepted_and_lists_files_only():
    folders = ["content/", f"{ACTIVITY_FOLDER}/", "content/images/"]
    entries = [(folder, b"") for folder in folders]

    package = validate_h5p_package(
        zip_files([*entries, *activity_package_files().items()])
    )

    assert {info.filename for info in package.entries} == set(activity_package_files())


def test_urdu_activity_keeps_its_language_and_right_to_left_direction():
    package = validate_h5p_package(build_urdu_activity_package())

    assert package.language == "ur"
    assert package.title == "تدریسی سرگرمی"
    assert package.content_json["language"] == "ur"
    assert package.content_json["direction"] == "rtl"
    assert "کیا آپ نے" in package.content_json["question"]


def test_open_entry_reads_a_checked_file_and_verify_integrity_passes():
    package = validate_h5p_package(build_activity_package())

    with package.open_entry(f"{ACTIVITY_FOLDER}/activity.js") as script:
        assert script.read().decode() == ACTIVITY_JS
    package.verify_integrity()
    with pytest.raises(KeyError):
        package.open_entry("content/not-there.png")
    package.close()


def test_library_order_puts_every_dependency_before_its_dependants():
    # The activity needs Helper and Styles, which both need Base (a diamond).
    files = activity_package_files(
        "en",
        helper_library(HELPER[0], BASE),
        helper_library(STYLES[0], BASE),
        helper_library(BASE[0]),
        main=activity_library(HELPER, STYLES),
    )

    package = validate_h5p_package(zip_files(files))

    assert package.topological_library_order() == [BASE, HELPER, STYLES, ACTIVITY]
    assert package.library(BASE).preloaded_js == ["library.js"]
    assert package.library(MISSING_LIBRARY) is None


def test_library_order_ends_on_a_dependency_cycle():
    files = activity_package_files(
        "en",
        helper_library(HELPER[0], STYLES),
        helper_library(STYLES[0], HELPER),
        main=activity_library(HELPER),
    )

    package = validate_h5p_package(zip_files(files))

    assert package.topological_library_order() == [STYLES, HELPER, ACTIVITY]


def test_library_order_walks_a_long_chain_without_recursing():
    chain = [LibraryRef(f"H5P.Link{number}", 1, 0) for number in range(5000)]
    needs = {library: [nxt] for library, nxt in zip(chain, chain[1:], strict=False)}

    order = topological_library_order([chain[0]], lambda ref: needs.get(ref, []))

    assert order == chain[::-1]


def test_dependency_installed_on_the_site_need_not_be_in_the_package():
    package = validate_h5p_package(
        build_package_with_missing_dependency(), installed_libraries={MISSING_LIBRARY}
    )

    assert package.topological_library_order() == [MISSING_LIBRARY, ACTIVITY]


def test_editor_dependencies_need_not_be_in_the_package():
    main = activity_library()
    main.editor_dependencies = [("H5PEditor.AllianceWidget", 1, 0)]

    package = validate_h5p_package(zip_files(activity_package_files(main=main)))

    assert package.libraries[0].editor_dependencies == [
        ("H5PEditor.AllianceWidget", 1, 0)
    ]


def test_cookie_probe_package_is_valid_so_only_the_player_can_contain_it():
    target = "https://learn.example.pk/accounts/profile/"

    package = validate_h5p_package(build_cookie_probe_package(target))

    assert package.main_library == PROBE_MACHINE_NAME
    assert package.content_json == {"targetUrl": target}
    assert "document.cookie" in PROBE_JS
    assert "credentials: 'include'" in PROBE_JS


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
@pytest.mark.parametrize("script", [ACTIVITY_JS, PROBE_JS], ids=["activity", "probe"])
def test_library_scripts_are_valid_javascript(script, tmp_path):
    path = tmp_path / "library.js"
    path.write_text(script)

    checked = subprocess.run(  # noqa: S603 - a fixed local tool on our own file
        [shutil.which("node"), "--check", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert checked.returncode == 0, checked.stderr


# Hostile packages ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "code", "named"),
    [
        (build_not_a_zip, "not_zip", "not an H5P package"),
        (build_truncated_package, "not_zip", "cut short"),
        (build_package_without_h5p_json, "missing_h5p_json", "h5p.json"),
        (
            build_package_with_missing_dependency,
            "missing_dependency",
            "H5P.AllianceMissingHelper 1.0",
        ),
        (build_package_with_path_traversal, "path_traversal", "../../outside.json"),
        (build_package_with_absolute_path, "absolute_path", "/etc/cron.d/outside.json"),
        (build_package_with_symlink, "symlink", "content/images/photo.png"),
        (build_package_with_php_file, "forbidden_extension", '".php" files'),
        (
            build_package_with_script_in_content,
            "script_in_content",
            "content/images/payload.js",
        ),
        (build_zip_bomb, "file_too_large", "content/videos/lesson.mp4"),
        (build_package_with_many_entries, "too_many_entries", "100,006 files"),
    ],
)
def test_hostile_package_is_refused_with_a_message_naming_the_fault(build, code, named):
    error = refusal(build())

    assert error.code == code
    assert named in str(error)
    assert error.message == error.template % error.params


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("content/.htaccess", "dotfile"),
        (".git/config.txt", "dotfile"),
        ("__MACOSX/content/._content.json", "dotfile"),
        ("__MACOSX/content/images/photo.png", "dotfile"),
        ("\\windows\\evil.json", "absolute_path"),
        ("C:/Users/evil.json", "absolute_path"),
        ("content\\..\\..\\evil.json", "path_traversal"),
        ("content/images/./photo.png", "bad_path"),
        ("content/images//photo.png", "bad_path"),
        ("content/images/photo\u202egnp.js", "bad_path"),
        ("content/images/photo.png:evil", "bad_path"),
        ("content/styles/site.css", "script_in_content"),
        ("content/page.html", "forbidden_extension"),
        ("content/images/Makefile", "forbidden_extension"),
        (f"{ACTIVITY_FOLDER}/server.php", "forbidden_extension"),
        ("server.php", "forbidden_extension"),
        ("images/photo.png", "bad_library_folder"),
    ],
)
def test_entry_with_a_hostile_or_misplaced_name_is_refused(name, code):
    error = refusal(build_package_with_entry(name, b"x"))

    assert error.code == code
    assert name in str(error)


@pytest.mark.parametrize("name", ["README.txt", "LICENSE.md", "cover.png"])
def test_a_stray_file_at_the_top_level_is_ignored_as_h5p_does(name):
    package = validate_h5p_package(build_package_with_entry(name, b"stray"))

    stored = {info.filename for info in package.entries}
    assert name not in stored
    assert name not in package.content_files
    assert {"h5p.json", "content/content.json"} <= stored


def test_urdu_file_names_in_content_are_accepted():
    package = validate_h5p_package(
        build_package_with_entry("content/images/تصویر‌۱.png", b"png")
    )

    assert "content/images/تصویر‌۱.png" in package.content_files


@pytest.mark.parametrize(
    "second_name", ["content/images/photo.png", "content/images/PHOTO.png"]
)
def test_two_entries_with_the_same_name_are_refused(second_name):
    entries = [RawEntry.deflated(n, d) for n, d in activity_package_files().items()]
    entries += [
        RawEntry.stored("content/images/photo.png", b"first"),
        RawEntry.stored(second_name, b"second"),
    ]

    error = refusal(io.BytesIO(raw_zip(entries)))

    assert error.code == "duplicate_entry"


def test_encrypted_entry_is_refused():
    entries = [RawEntry.deflated(n, d) for n, d in activity_package_files().items()]
    secret = RawEntry.stored("content/images/photo.png", b"secret")
    secret.flags = 0x1
    entries.append(secret)

    assert refusal(io.BytesIO(raw_zip(entries))).code == "encrypted"


def test_entry_with_an_unusual_compression_method_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        for name, data in activity_package_files().items():
            archive.writestr(name, data)

    assert refusal(buffer).code == "unsupported_compression"


@pytest.mark.parametrize(
    ("h5p_json_change", "code", "named"),
    [
        ({"embedTypes": None}, "missing_field", '"embedTypes"'),
        ({"title": None}, "missing_field", '"title"'),
        ({"language": "Urdu language"}, "bad_field", '"language"'),
        ({"title": "two\nlines"}, "bad_field", '"title"'),
        ({"embedTypes": ["script"]}, "bad_field", '"embedTypes"'),
        ({"mainLibrary": "H5P.SomethingElse"}, "bad_field", "H5P.SomethingElse"),
        (
            {"preloadedDependencies": [{"machineName": ACTIVITY_MACHINE_NAME}]},
            "bad_field",
            '"preloadedDependencies"',
        ),
    ],
)
def test_h5p_json_with_a_missing_or_bad_field_is_refused(h5p_json_change, code, named):
    files = activity_package_files()
    h5p_json = json.loads(files["h5p.json"])
    h5p_json.update(h5p_json_change)
    h5p_json = {key: value for key, value in h5p_json.items() if value is not None}

    error = refusal(with_file(files, "h5p.json", json_bytes(h5p_json)))

    assert error.code == code
    assert named in str(error)


@pytest.mark.parametrize(
    ("name", "data", "detail"),
    [
        ("h5p.json", b"{'title': 'single quotes'}", "line 1, column 2"),
        ("h5p.json", b"\xff\xfe{}", "not UTF-8"),
        ("content/content.json", b"[1, 2, 3]", "JSON object"),
        ("content/content.json", b'{"score": NaN}', "NaN"),
        ("content/content.json", b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
        (f"{ACTIVITY_FOLDER}/library.json", b"", "Expecting value"),
    ],
)
def test_json_file_that_does_not_parse_to_an_object_is_refused(name, data, detail):
    error = refusal(with_file(activity_package_files(), name, data))

    assert error.code == "bad_json"
    assert name in str(error)
    assert detail in str(error)


def test_json_with_a_byte_order_mark_is_accepted():
    files = activity_package_files()
    files["content/content.json"] = b"\xef\xbb\xbf" + files["content/content.json"]

    assert validate_h5p_package(zip_files(files)).content_json["maxScore"] == 1


def test_content_json_is_required():
    files = activity_package_files()
    del files["content/content.json"]

    assert refusal(zip_files(files)).code == "missing_content_json"


def test_library_folder_not_named_after_its_library_json_is_refused():
    files = {
        name.replace(ACTIVITY_FOLDER, "H5P.AllianceTestActivity-1.1"): data
        for name, data in activity_package_files().items()
    }

    error = refusal(zip_files(files))

    assert error.code == "bad_library_folder"
    assert '"H5P.AllianceTestActivity-1.0"' in str(error)


def test_library_folder_without_library_json_is_refused():
    files = activity_package_files()
    del files[f"{ACTIVITY_FOLDER}/library.json"]

    error = refusal(zip_files(files))

    assert error.code == "bad_library_folder"
    assert "library.json" in str(error)


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("missing.js", "missing_library_file"),
        ("../H5P.Other-1.0/evil.js", "path_traversal"),
        ("activity.css", "bad_field"),  # a style sheet listed as a script
    ],
)
def test_library_json_listing_a_script_it_does_not_hold_is_refused(path, code):
    main = activity_library()
    main.preloaded_js = [path]

    assert refusal(zip_files(activity_package_files(main=main))).code == code


def test_library_json_missing_a_required_field_is_refused():
    files = activity_package_files()
    library_json = json.loads(files[f"{ACTIVITY_FOLDER}/library.json"])
    del library_json["patchVersion"]

    error = refusal(
        with_file(files, f"{ACTIVITY_FOLDER}/library.json", json_bytes(library_json))
    )

    assert error.code == "missing_field"
    assert (
        f'{ACTIVITY_FOLDER}/library.json is missing the required field "patchVersion"'
        in str(error)
    )


def test_missing_dependency_of_a_library_names_who_needs_it():
    files = activity_package_files(
        "en", helper_library(HELPER[0], BASE), main=activity_library(HELPER)
    )

    error = refusal(zip_files(files))

    assert error.code == "missing_dependency"
    assert "H5P.AllianceBase 1.0" in str(error)
    assert "required by H5P.AllianceHelper 1.0" in str(error)


# Limits and zip bombs -----------------------------------------------------------


def test_limits_are_configurable():
    assert (
        refusal(build_activity_package(), limits=H5PLimits(max_file_bytes=1000)).code
        == "file_too_large"
    )
    assert (
        refusal(build_activity_package(), limits=H5PLimits(max_entries=5)).code
        == "too_many_entries"
    )
    assert "JSON files in a package may be at most" in str(
        refusal(build_activity_package(), limits=H5PLimits(max_json_bytes=100))
    )
    assert (
        refusal(
            build_activity_package(),
            limits=H5PLimits(content_extensions=frozenset({"png"})),
        ).code
        == "forbidden_extension"
    )


def test_zip_bomb_builder_makes_a_genuine_bomb():
    # The same construction as the 1 GiB bomb, small enough to inflate here.
    bomb = build_zip_bomb(16 * MIB)

    with zipfile.ZipFile(bomb) as archive:
        info = archive.getinfo("content/videos/lesson.mp4")
        inflated = archive.read(info)  # zipfile checks the CRC as it reads

    assert inflated == bytes(16 * MIB)
    assert info.compress_size * 500 < info.file_size
    assert crc32_of_zeros(GIB) == 0x5B64C2B0  # zlib.crc32(bytes(GIB)), computed once


def test_one_gigabyte_zip_bomb_is_refused_without_reading_its_data():
    bomb = build_zip_bomb(GIB)
    data_start, data_end = data_range(bomb, "content/videos/lesson.mp4")
    recorder = ReadRecorder(bomb)

    assert refusal(recorder).code == "file_too_large"
    assert recorder.bytes_read_within(data_start, data_end) == 0
    assert recorder.bytes_read < 4096  # end record and central directory only


def test_zip_bomb_under_the_size_limits_is_refused_on_its_ratio():
    bomb = build_zip_bomb(GIB)
    data_start, data_end = data_range(bomb, "content/videos/lesson.mp4")
    recorder = ReadRecorder(bomb)
    roomy = H5PLimits(max_file_bytes=2 * GIB, max_total_bytes=4 * GIB)

    error = refusal(recorder, limits=roomy)

    assert error.code == "compression_ratio"
    assert "zip bomb" in str(error)
    assert recorder.bytes_read_within(data_start, data_end) == 0


def test_one_bomb_entry_hidden_among_incompressible_media_is_refused_on_its_ratio():
    entries = [RawEntry.deflated(n, d) for n, d in activity_package_files().items()]
    video = random.Random(7).randbytes(4 * MIB)  # does not compress at all
    entries.append(RawEntry.stored("content/videos/lesson.mp4", video))
    size = 20 * MIB
    entries.append(
        RawEntry(
            "content/images/blank.bmp", deflated_zeros(size), crc32_of_zeros(size), size
        )
    )

    error = refusal(io.BytesIO(raw_zip(entries)))

    # The package as a whole unpacks only about 6:1; the one entry 1000:1.
    assert error.code == "compression_ratio"
    assert 'The file "content/images/blank.bmp"' in str(error)


def test_bomb_spread_over_entries_below_the_ratio_threshold_is_refused_overall():
    entries = [RawEntry.deflated(n, d) for n, d in activity_package_files().items()]
    blank = deflated_zeros(MIB)
    entries += [
        RawEntry(f"content/images/blank{n}.bmp", blank, crc32_of_zeros(MIB), MIB)
        for n in range(40)
    ]

    error = refusal(io.BytesIO(raw_zip(entries)))

    assert error.code == "compression_ratio"
    assert "The package would unpack" in str(error)


def test_package_over_the_total_size_is_refused():
    size = 45 * MIB
    entries = [RawEntry.deflated(n, d) for n, d in activity_package_files().items()]
    video = deflated_zeros(size)
    entries += [
        RawEntry(f"content/videos/part{n}.mp4", video, crc32_of_zeros(size), size)
        for n in range(5)
    ]

    error = refusal(
        io.BytesIO(raw_zip(entries)), limits=H5PLimits(max_compression_ratio=10**6)
    )

    assert error.code == "package_too_large"
    # Sizes are written by Django's filesizeformat, in the reader's language.
    assert "200.0\xa0MB" in str(error)
    with translation.override("ur"):
        assert rejection_message(error) == gettext(error.template) % {
            "limit": filesizeformat(200 * MIB)
        }
        assert "200.0\xa0م\xa0۔\xa0ب" in rejection_message(error)


def test_bomb_behind_a_lying_header_is_not_inflated_past_the_declared_size():
    package = build_package_with_lying_json_size(hidden_size=GIB, declared_size=2048)
    data_start, data_end = data_range(package, "content/content.json")
    recorder = ReadRecorder(package)

    error = refusal(recorder)

    assert error.code == "corrupt_entry"
    assert "content/content.json" in str(error)
    # About a megabyte of packed zeros sits there; a few kilobytes of it yield the
    # 2 KB the header declares, and reading stops.
    assert data_end - data_start > 1_000_000
    assert recorder.bytes_read_within(data_start, data_end) < 64 * 1024


def test_hundred_thousand_entries_are_refused_from_the_end_record_alone():
    package = build_package_with_many_entries(100_000)
    recorder = ReadRecorder(package)

    assert refusal(recorder).code == "too_many_entries"
    # The central directory is megabytes long; not a byte of it was read.
    assert recorder.bytes_read < 1024


def test_end_record_lying_about_the_entry_count_does_not_help():
    package = build_package_with_many_entries(100_000, declared_count=7)
    recorder = ReadRecorder(package)

    error = refusal(recorder)

    assert error.code == "too_many_entries"
    assert "table of contents" in str(error)
    assert recorder.bytes_read < 1024


def test_entry_reader_refuses_more_data_than_the_header_declares():
    # zipfile stops at the declared size itself; this guards against it not doing so.
    class LyingArchive:
        def open(self, info):
            return io.BytesIO(b"x" * (info.file_size + 100))

    info = zipfile.ZipInfo("content/content.json")
    info.file_size = 10

    with pytest.raises(H5PValidationError) as caught:
        read_entry(LyingArchive(), info).read()

    assert caught.value.code == "corrupt_entry"
    assert "more data than its header declares" in str(caught.value)


def test_damage_in_a_media_file_is_found_by_verify_integrity():
    entries = [RawEntry.deflated(n, d) for n, d in activity_package_files().items()]
    photo = RawEntry.stored("content/images/photo.png", b"an image, honestly")
    photo.crc ^= 1  # the bytes no longer match their checksum
    entries.append(photo)
    package = validate_h5p_package(io.BytesIO(raw_zip(entries)))

    with pytest.raises(H5PValidationError) as caught:
        package.verify_integrity()

    assert caught.value.code == "corrupt_entry"
    assert "content/images/photo.png" in str(caught.value)


def test_damaged_packages_raise_only_validation_errors():
    original = build_activity_package().getvalue()
    randomness = random.Random(20240101)  # fixed: the same damage on every run
    codes = set()
    for _attempt in range(400):
        damaged = bytearray(original)
        for _byte in range(randomness.choice([1, 2, 8])):
            damaged[randomness.randrange(len(damaged))] = randomness.randrange(256)
        try:
            validate_h5p_package(io.BytesIO(bytes(damaged))).verify_integrity()
        except H5PValidationError as error:
            codes.add(error.code)

    # Anything else escaping would have failed the test above; the damage also
    # reached past the zip structure into entries and their JSON.
    assert {"not_zip", "corrupt_entry"} <= codes
