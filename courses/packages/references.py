"""Find and rewrite what a lesson body points at: images, documents, quizzes, H5P
activities and pages, in chooser blocks and inside rich text.

Works on a StreamField's raw JSON guided by the block definitions, so a block
added to ``LessonBodyBlock`` later is followed without changes here; a chooser
for a model this format does not carry is refused rather than exported dangling.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import Any, Literal

from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from content.models import H5PActivity

from ..models import Quiz

Kind = Literal["image", "document", "quiz", "h5p", "page"]
# Given a kind and an id in the old numbering, the id in the new one (None: drop).
Remap = Callable[[Kind, int], int | None]


class UnknownBlock(ValueError):
    """The body holds a block type, or a chooser, this format cannot carry."""


def chooser_kind(block: blocks.Block) -> Kind:
    model = block.model_class
    if issubclass(model, get_image_model()):
        return "image"
    if issubclass(model, get_document_model()):
        return "document"
    if issubclass(model, Quiz):
        return "quiz"
    if issubclass(model, H5PActivity):
        return "h5p"
    if issubclass(model, Page):
        return "page"
    raise UnknownBlock(f"a chooser for {model._meta.label}")


def remap_stream(
    block: blocks.StreamBlock, raw: list[Any], remap: Remap, *, clean: bool = False
) -> list:
    """A copy of a stream's raw JSON with every reference passed through ``remap``
    and, with ``clean``, every rich text cleaned as the editor would."""
    result = []
    for child in raw:
        if not isinstance(child, dict) or "type" not in child:
            raise UnknownBlock(repr(child)[:80])
        child_block = block.child_blocks.get(child["type"])
        if child_block is None:
            raise UnknownBlock(str(child["type"])[:80])
        result.append(
            {
                **child,
                "value": _remap_value(child_block, child.get("value"), remap, clean),
            }
        )
    return result


def _remap_value(block: blocks.Block, value: Any, remap: Remap, clean: bool) -> Any:
    if value is None:
        return None
    if isinstance(block, blocks.StreamBlock):
        return remap_stream(block, value, remap, clean=clean)
    if isinstance(block, blocks.StructBlock):
        if not isinstance(value, dict):
            raise UnknownBlock(repr(value)[:80])
        return {
            name: (
                _remap_value(block.child_blocks[name], item, remap, clean)
                if name in block.child_blocks
                else item
            )
            for name, item in value.items()
        }
    if isinstance(block, blocks.ListBlock):
        if not isinstance(value, list):
            raise UnknownBlock(repr(value)[:80])
        return [
            {
                **item,
                "value": _remap_value(
                    block.child_block, item.get("value"), remap, clean
                ),
            }
            if isinstance(item, dict) and "value" in item
            else _remap_value(block.child_block, item, remap, clean)
            for item in value
        ]
    if isinstance(block, blocks.ChooserBlock):
        if not isinstance(value, int) or isinstance(value, bool):
            raise UnknownBlock(repr(value)[:80])
        return remap(chooser_kind(block), value)
    if isinstance(block, blocks.RichTextBlock):
        if not isinstance(value, str):
            raise UnknownBlock(repr(value)[:80])
        html = remap_rich_text(value, remap)
        return clean_rich_text(html, block.features) if clean else html
    return value


# Wagtail's stored rich text: <embed embedtype="image" id="3" .../>,
# <a linktype="document" id="5">, <a linktype="page" id="7">.
_TAG = re.compile(r"<(?P<tag>embed|a)\b(?P<attrs>[^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r'(?P<name>[\w-]+)="(?P<value>[^"]*)"')
_RICH_TEXT_KINDS: dict[tuple[str, str], Kind] = {
    ("embed", "image"): "image",
    ("a", "document"): "document",
    ("a", "page"): "page",
}


def remap_rich_text(html: str, remap: Remap) -> str:
    """Rewrite the ids of embedded images and of document and page links.

    An image that cannot be remapped is dropped; a link that cannot is kept as
    plain text in an ``<a>`` without a target.
    """

    def replace(match: re.Match) -> str:
        tag = match["tag"].lower()
        attrs = {m["name"]: m["value"] for m in _ATTR.finditer(match["attrs"])}
        type_attr = "embedtype" if tag == "embed" else "linktype"
        kind = _RICH_TEXT_KINDS.get((tag, attrs.get(type_attr, "")))
        if kind is None:
            return match.group(0)
        old_id = attrs.get("id", "")
        new_id = remap(kind, int(old_id)) if old_id.isdigit() else None
        if new_id is None:
            return "" if tag == "embed" else "<a>"
        return _ATTR.sub(
            lambda m: f'id="{new_id}"' if m["name"] == "id" else m.group(0),
            match.group(0),
        )

    return _TAG.sub(replace, html)


def clean_rich_text(html: str, features: list[str] | None) -> str:
    """Rich text from a package as the admin's editor would save it: only the
    elements and attributes ``features`` allow, no scripts, handlers or
    ``javascript:`` links. The package's author is not trusted with raw HTML.
    """
    from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

    return EditorHTMLConverter(features).to_database_format(_editor_html(html))


def _editor_html(html: str) -> str:
    """Stored rich text in the editor's form (``data-`` attributes), which the
    editor's whitelister reads, without looking anything up."""

    def replace(match: re.Match) -> str:
        tag = match["tag"].lower()
        attrs = {m["name"]: m["value"] for m in _ATTR.finditer(match["attrs"])}
        if tag == "a" and "linktype" in attrs:
            data = {"linktype": attrs["linktype"], "id": attrs.get("id", "")}
            return "<a " + _data_attributes(data) + ">"
        if tag == "embed":
            if attrs.get("embedtype") != "image":
                return ""
            data = {
                "embedtype": "image",
                "id": attrs.get("id", ""),
                "format": attrs.get("format", ""),
                "alt": attrs.get("alt", ""),
            }
            return "<img " + _data_attributes(data) + ">"
        return match.group(0)

    return _TAG.sub(replace, html)


def _data_attributes(data: dict[str, str]) -> str:
    return " ".join(f'data-{name}="{escape(value)}"' for name, value in data.items())


def collect_references(
    block: blocks.StreamBlock, raw: list[Any]
) -> set[tuple[Kind, int]]:
    """Every (kind, id) a stream's raw JSON points at."""
    found: set[tuple[Kind, int]] = set()

    def note(kind: Kind, old_id: int) -> int:
        found.add((kind, old_id))
        return old_id

    remap_stream(block, raw, note)
    return found


def collect_rich_text_references(html: str) -> set[tuple[Kind, int]]:
    found: set[tuple[Kind, int]] = set()

    def note(kind: Kind, old_id: int) -> int:
        found.add((kind, old_id))
        return old_id

    remap_rich_text(html, note)
    return found
