"""Ed25519 signatures over certificate records, verifiable offline.

Canonical JSON
--------------
A certificate's content is signed as a JSON text built by :func:`canonical_json`.
Anyone can rebuild that text from the published fields and check the signature
with the public keys from :meth:`SigningKeyring.jwks`. The rules are those of
RFC 8785 (JSON Canonicalization Scheme) restricted to values without fractions:

* values are objects with string keys, arrays, strings, integers, ``true``,
  ``false`` and ``null``; floats, NaN and infinities are refused (write amounts
  such as CPD hours as strings, e.g. ``"12.5"``), and integers must lie within
  +/-(2**53 - 1) so that JavaScript reads them exactly;
* object members are sorted by their keys compared as UTF-16 code units (for
  keys made of ASCII this is plain alphabetical order);
* no whitespace outside strings: ``,`` and ``:`` separate, nothing else;
* strings are written as UTF-8 without ``\\u`` escapes except for ``"``, ``\\``
  and the control characters U+0000-U+001F (``\\b \\t \\n \\f \\r`` where they
  exist, otherwise ``\\u00xx`` in lower-case hex); strings are not otherwise
  normalised, so sign exactly the text you store.

In Python, for such values, this equals::

    json.dumps(value, ensure_ascii=False, separators=(",", ":"),
               sort_keys=True)

except where keys contain characters beyond U+FFFF. The signature is Ed25519
(RFC 8032) over the UTF-8 bytes of that text, written in unpadded base64url.

Keys
----
:class:`SigningKeyring` keeps Ed25519 private keys as PEM files in a directory
that the deployment configures (outside the repository and the media folder).
Each key is named by its ``kid``: the RFC 7638 thumbprint of its public JWK.
The newest key signs; older keys stay to verify what they signed.
"""

import base64
import functools
import hashlib
import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

MAX_SAFE_INTEGER = 2**53 - 1
_KEY_FILE = re.compile(r"^ed25519-(\d{6})\.pem$")
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]*$")
_MAX_VERIFY_INPUT = 1_000_000


class CanonicalJSONError(ValueError):
    """The payload holds a value that canonical JSON does not allow."""


class KeyringError(RuntimeError):
    """The key directory cannot be used (unreadable, corrupted or unsafe)."""


def canonical_json(payload: dict) -> str:
    """Serialise ``payload`` as canonical JSON (see the module documentation)."""
    if not isinstance(payload, dict):
        raise CanonicalJSONError("the payload must be a JSON object (a dict)")
    return json.dumps(
        _checked(payload, "$"),
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
    )


def _checked(value, path: str):
    """Return ``value`` with dict members in canonical order, refusing bad types."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise CanonicalJSONError(f"{path}: integer beyond +/-(2**53 - 1)")
        return value
    if isinstance(value, str):
        _check_string(value, path)
        return value
    if isinstance(value, list):
        return [_checked(item, f"{path}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise CanonicalJSONError(f"{path}: object key {key!r} is not a str")
            _check_string(key, path)
        ordered = sorted(value, key=lambda key: key.encode("utf-16-be"))
        return {key: _checked(value[key], f"{path}.{key}") for key in ordered}
    raise CanonicalJSONError(
        f"{path}: {type(value).__name__} is not allowed; use str, int, bool, "
        "None, list or dict (write decimals as strings)"
    )


def _check_string(text: str, path: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise CanonicalJSONError(f"{path}: string is not valid Unicode") from error


def jwk_thumbprint(x: str) -> str:
    """Return the RFC 7638 thumbprint of an Ed25519 public key given as JWK ``x``."""
    members = json.dumps(
        {"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":")
    )
    return _b64url_encode(hashlib.sha256(members.encode("ascii")).digest())


def public_jwk(public_key: Ed25519PublicKey) -> dict:
    """Return the JWK (RFC 8037) of an Ed25519 public key, with its ``kid``."""
    raw = public_key.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    x = _b64url_encode(raw)
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": x,
        "kid": jwk_thumbprint(x),
        "use": "sig",
        "alg": "EdDSA",
    }


def verify_with_jwks(
    jwks: Mapping, payload: str, signature_b64url: str, kid: str
) -> bool:
    """Check a signature using only a published JWKS, as a third party would.

    Returns False, never raises, for any malformed input or unknown key.
    """
    if not isinstance(jwks, Mapping) or not isinstance(jwks.get("keys"), list):
        return False
    for jwk in jwks["keys"]:
        if not isinstance(jwk, Mapping) or jwk.get("kid") != kid:
            continue
        if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
            return False
        raw = _b64url_decode(jwk.get("x"))
        # A kid must be the thumbprint of its own key, or a JWKS could pair a
        # trusted kid with someone else's key.
        if raw is None or len(raw) != 32 or jwk_thumbprint(jwk["x"]) != kid:
            return False
        try:
            public_key = Ed25519PublicKey.from_public_bytes(raw)
        except ValueError:
            return False
        return _verify(public_key, payload, signature_b64url)
    return False


@dataclass(frozen=True)
class SigningKey:
    kid: str
    sequence: int
    private_key: Ed25519PrivateKey

    @functools.cached_property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()


class SigningKeyring:
    """Ed25519 keys kept as PEM files in ``directory``; the newest one signs.

    Files are named ``ed25519-000001.pem``, ``ed25519-000002.pem`` and so on;
    the highest number is the active key. A file appears only complete and only
    once: it is written under a temporary name and then hard-linked to its final
    name, which fails if another process got there first. So processes that
    start together agree on a single first key, and two rotations at once make
    two keys rather than one overwriting the other.
    """

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)
        self._loaded: dict[str, SigningKey] = {}  # by file name; files never change
        self._by_kid: dict[str, SigningKey] = {}

    def active_key(self) -> SigningKey:
        """Return the signing key, creating the first one if there is none."""
        keys = self._keys()
        if not keys:
            self._create_key(sequence=1)
            keys = self._keys()
        return max(keys, key=lambda key: key.sequence)

    def rotate(self) -> SigningKey:
        """Make a new key the active one; earlier keys stay for verification."""
        while True:
            keys = self._keys()
            sequence = max((key.sequence for key in keys), default=0) + 1
            if self._create_key(sequence):
                return next(key for key in self._keys() if key.sequence == sequence)

    def keys(self) -> list[SigningKey]:
        """Return every key, newest first."""
        return sorted(self._keys(), key=lambda key: key.sequence, reverse=True)

    def sign(self, payload: str) -> tuple[str, str]:
        """Sign the UTF-8 bytes of ``payload``; return ``(kid, signature_b64url)``."""
        key = self.active_key()
        signature = key.private_key.sign(payload.encode("utf-8"))
        return key.kid, _b64url_encode(signature)

    def verify(self, payload: str, signature_b64url: str, kid: str) -> bool:
        """Check a signature made by one of this keyring's keys.

        Returns False, never raises, for an unknown kid, malformed base64 or a
        signature that does not match.
        """
        if not isinstance(kid, str):
            return False
        # Keys already loaded are found without reading the directory; an
        # unknown kid may be a key another process has just made.
        key = self._by_kid.get(kid)
        if key is None:
            key = next((key for key in self._keys() if key.kid == kid), None)
        if key is None:
            return False
        return _verify(key.public_key, payload, signature_b64url)

    def jwks(self) -> dict:
        """Return the public keys as a JSON Web Key Set, newest first."""
        return {"keys": [public_jwk(key.public_key) for key in self.keys()]}

    def _keys(self) -> list[SigningKey]:
        try:
            names = os.listdir(self.directory)
        except FileNotFoundError:
            return []
        except OSError as error:
            raise KeyringError(f"cannot read key directory {self.directory}") from error
        keys = []
        for name in names:
            match = _KEY_FILE.match(name)
            if match is None:
                continue
            if name not in self._loaded:
                key = self._load(name, int(match.group(1)))
                self._loaded[name] = self._by_kid[key.kid] = key
            keys.append(self._loaded[name])
        return keys

    def _load(self, name: str, sequence: int) -> SigningKey:
        path = self.directory / name
        try:
            private_key = serialization.load_pem_private_key(
                path.read_bytes(), password=None
            )
        except (OSError, ValueError, TypeError) as error:
            raise KeyringError(f"cannot load signing key {path}") from error
        if not isinstance(private_key, Ed25519PrivateKey):
            raise KeyringError(f"{path} is not an Ed25519 private key")
        kid = public_jwk(private_key.public_key())["kid"]
        return SigningKey(kid=kid, sequence=sequence, private_key=private_key)

    def _create_key(self, sequence: int) -> bool:
        """Write key number ``sequence``; return False if it already exists."""
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        final = self.directory / f"ed25519-{sequence:06d}.pem"
        temporary = self.directory / f".tmp-{secrets.token_hex(8)}.pem"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(pem)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, 0o600)  # whatever the umask allowed
            try:
                os.link(temporary, final)
            except FileExistsError:
                return False
            return True
        finally:
            temporary.unlink(missing_ok=True)


def _verify(public_key: Ed25519PublicKey, payload, signature_b64url) -> bool:
    if not isinstance(payload, str) or len(payload) > _MAX_VERIFY_INPUT:
        return False
    signature = _b64url_decode(signature_b64url)
    if signature is None or len(signature) != 64:
        return False
    try:
        data = payload.encode("utf-8")
    except UnicodeEncodeError:
        return False
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def _b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text) -> bytes | None:
    """Decode unpadded base64url strictly; None for anything else.

    Only the canonical spelling is accepted, so one signature has one text.
    """
    if not isinstance(text, str) or len(text) > 1024 or not _BASE64URL.match(text):
        return None
    if len(text) % 4 == 1:
        return None
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64url_encode(data) != text:
        return None
    return data
