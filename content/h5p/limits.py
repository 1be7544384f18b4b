"""What an uploaded .h5p package may contain and how big it may be."""

from dataclasses import dataclass

MIB = 1024 * 1024

# H5P core's default allow-list (H5PCore::$defaultContentWhitelist, core API 1.27,
# the same list @lumieducation/h5p-server ships), for files under content/.
DEFAULT_CONTENT_EXTENSIONS = frozenset(
    "json png jpg jpeg gif bmp tif tiff svg eot ttf woff woff2 otf webm mp4 ogg mp3 "
    "m4a wav txt pdf rtf doc docx xls xlsx ppt pptx odt ods odp xml csv diff patch "
    "swf md textile vtt webvtt gltf glb".split()
)

# H5PCore::$defaultLibraryWhitelistExtras: code is allowed inside library folders
# only, never under content/, where an author's upload would become a script.
DEFAULT_LIBRARY_ONLY_EXTENSIONS = frozenset({"js", "css"})


@dataclass(frozen=True)
class H5PLimits:
    """Limits a package is judged against before anything in it is inflated.

    The sizes are judged from the zip's central directory, so a package over a
    limit is refused without reading its data; reading later is capped at the
    declared sizes, so a header that lies cannot make us inflate more.
    """

    # One media file (a lesson video) must still stream to a cheap phone.
    max_file_bytes: int = 50 * MIB
    # Real H5P exports are a few MB to a few tens of MB, video included.
    max_total_bytes: int = 200 * MIB
    # A large export (Course Presentation or Interactive Book with its editor
    # libraries and their language files) holds a few thousand entries.
    max_entries: int = 10_000
    # Bounds the central directory ZipFile reads even if the entry count in the
    # end record lies; a real entry record is about 100 bytes.
    max_central_directory_bytes_per_entry: int = 256
    # h5p.json, content.json and library.json are parsed in memory.
    max_json_bytes: int = 16 * MIB
    # Deflate tops out near 1032:1; text compresses about 3-10:1, media about 1:1.
    max_compression_ratio: int = 100
    # Ratio is only judged where the output is big enough to matter: a 2 KB file
    # of spaces compresses 100:1 and is harmless.
    ratio_checked_above_bytes: int = 1 * MIB
    content_extensions: frozenset[str] = DEFAULT_CONTENT_EXTENSIONS
    library_only_extensions: frozenset[str] = DEFAULT_LIBRARY_ONLY_EXTENSIONS

    @property
    def max_central_directory_bytes(self) -> int:
        return self.max_entries * self.max_central_directory_bytes_per_entry


DEFAULT_LIMITS = H5PLimits()
