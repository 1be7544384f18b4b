"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite.

As the W3C "Data Integrity EdDSA Cryptosuites v1.0" specification says: the
document without its proof, and the proof options (with the document's
``@context``), are each canonicalised with RDFC-1.0 (URDNA2015, by pyld, with
the local contexts of :mod:`.contexts`), each hashed with SHA-256, and the
Ed25519 signature is made over ``hash(options) + hash(document)``. The proof
value is multibase base58btc (``z…``). Public keys are published as
``Multikey``: ``z`` + base58btc of ``0xed 0x01`` + the 32 key bytes.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from pyld import jsonld

from .contexts import document_loader

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"
_ED25519_PUB_MULTICODEC = b"\xed\x01"
_BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class ProofError(ValueError):
    """A document or proof that cannot be canonicalised, signed or checked."""


def base58btc_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(_BASE58_ALPHABET[remainder])
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + "".join(reversed(digits))


def base58btc_decode(text: str) -> bytes:
    number = 0
    for character in text:
        index = _BASE58_ALPHABET.find(character)
        if index < 0:
            raise ProofError("not base58btc")
        number = number * 58 + index
    leading_zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * leading_zeros + body


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return "z" + base58btc_encode(_ED25519_PUB_MULTICODEC + raw)


def public_key_from_multibase(text: str) -> Ed25519PublicKey:
    if not isinstance(text, str) or not text.startswith("z"):
        raise ProofError("a Multikey must be base58btc multibase (z…)")
    data = base58btc_decode(text[1:])
    if len(data) != 34 or not data.startswith(_ED25519_PUB_MULTICODEC):
        raise ProofError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def canonicalize(document: dict[str, Any]) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document."""
    try:
        nquads = jsonld.normalize(
            document,
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": document_loader,
            },
        )
    except jsonld.JsonLdError as error:
        raise ProofError(f"the document is not valid JSON-LD: {error}") from error
    if not nquads:
        raise ProofError("the document says nothing in JSON-LD terms")
    return nquads


def _key_paths(value: Any, path: str = "") -> set[str]:
    """Every member name in a JSON value, by path, ignoring array positions."""
    if isinstance(value, list):
        return set().union(*(_key_paths(item, path) for item in value))
    if isinstance(value, dict):
        found: set[str] = set()
        for key, item in value.items():
            if key == "@context":
                continue
            found.add(f"{path}/{key}")
            found |= _key_paths(item, f"{path}/{key}")
        return found
    return set()


def check_terms_defined(document: dict[str, Any]) -> None:
    """Refuse a document with a member its contexts do not define.

    JSON-LD drops such members silently, so they would go unsigned; this is
    the "safe mode" that JavaScript verifiers apply. Compacting the expanded
    document with its own context must give back every member.
    """
    # Credentials in a presentation sit in graph containers, which do not
    # compact back member by member: each is checked on its own (its proof,
    # another graph, was checked when it was signed).
    embedded = document.get("verifiableCredential")
    if isinstance(embedded, list) and embedded:
        for credential in embedded:
            if not isinstance(credential, dict):
                raise ProofError("an embedded credential must be an object")
            check_terms_defined({k: v for k, v in credential.items() if k != "proof"})
        document = {k: v for k, v in document.items() if k != "verifiableCredential"}
    try:
        expanded = jsonld.expand(
            document, {"documentLoader": document_loader, "base": None}
        )
        compacted = jsonld.compact(
            expanded,
            {"@context": document.get("@context")},
            {"documentLoader": document_loader},
        )
    except jsonld.JsonLdError as error:
        raise ProofError(f"the document is not valid JSON-LD: {error}") from error
    dropped = _key_paths(document) - _key_paths(compacted)
    vague = sorted(_vague_terms(expanded))
    if dropped or vague:
        raise ProofError(
            f"terms not defined by the contexts: {sorted(dropped) + vague}"
        )


# Terms nobody defined: mapped to the VC "issuer-dependent" vocabulary, or
# left relative (a ``type`` or ``id`` that is not an absolute IRI). Verifiers
# in safe mode refuse both, so do we.
_ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"


def _vague(iri: Any) -> bool:
    return isinstance(iri, str) and (
        iri.startswith(_ISSUER_DEPENDENT) or ":" not in iri
    )


def _vague_terms(expanded: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(expanded, list):
        for item in expanded:
            found |= _vague_terms(item)
    elif isinstance(expanded, dict):
        for key, value in expanded.items():
            if not key.startswith("@") and _vague(key):
                found.add(key)
            if key in ("@type", "@id"):
                iris = value if isinstance(value, list) else [value]
                found |= {str(iri) for iri in iris if _vague(iri)}
            elif key != "@value":
                found |= _vague_terms(value)
    return found


def _hash_data(document: dict[str, Any], options: dict[str, Any]) -> bytes:
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    proof_config = {key: value for key, value in options.items() if key != "proofValue"}
    proof_config["@context"] = copy.deepcopy(unsecured.get("@context"))
    return (
        hashlib.sha256(canonicalize(proof_config).encode("utf-8")).digest()
        + hashlib.sha256(canonicalize(unsecured).encode("utf-8")).digest()
    )


def add_proof(
    document: dict[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: str,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """Return a copy of ``document`` with an embedded ``DataIntegrityProof``.

    Ed25519 is deterministic, so the same document, key and ``created`` give
    the same proof every time.
    """
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    check_terms_defined({k: v for k, v in document.items() if k != "proof"})
    signature = private_key.sign(_hash_data(document, options))
    secured = {key: value for key, value in document.items() if key != "proof"}
    secured["proof"] = {**options, "proofValue": "z" + base58btc_encode(signature)}
    return secured


# "z" and the base58btc of a 64-byte Ed25519 signature (at most 88 characters).
# Checked before decoding, whose time grows with the square of the length.
MAX_PROOF_VALUE_LENGTH = 1 + 88


def verify_proof(document: dict[str, Any], public_key: Ed25519PublicKey) -> bool:
    """Check the document's one ``eddsa-rdfc-2022`` proof with ``public_key``."""
    proof = document.get("proof")
    if not isinstance(proof, dict):
        return False
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return False
    value = proof.get("proofValue")
    if (
        not isinstance(value, str)
        or not value.startswith("z")
        or len(value) > MAX_PROOF_VALUE_LENGTH
    ):
        return False
    try:
        check_terms_defined({k: v for k, v in document.items() if k != "proof"})
        signature = base58btc_decode(value[1:])
        public_key.verify(signature, _hash_data(document, proof))
    except (ProofError, InvalidSignature):
        return False
    return True
