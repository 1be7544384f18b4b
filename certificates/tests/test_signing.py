import base64
import json
import math
import multiprocessing
import os
import stat
from decimal import Decimal

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from certificates.signing import (
    CanonicalJSONError,
    KeyringError,
    SigningKeyring,
    canonical_json,
    jwk_thumbprint,
    verify_with_jwks,
)

PAYLOAD = {
    "code": "K7QM-3XD9-P2RT-W8HC",
    "holder_name_en": "Muhammad Ali Khan",
    "holder_name_ur": "محمد علی خان",
    "cpd_hours": "12.5",
    "issued_on": "2025-03-14",
    "expires_on": None,
    "revoked": False,
    "version": 1,
}


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- canonical JSON -------------------------------------------------------------


def test_canonical_json_sorts_keys_and_has_no_whitespace():
    assert canonical_json({"b": [1, {"z": None, "a": True}], "a": "x y"}) == (
        '{"a":"x y","b":[1,{"a":true,"z":null}]}'
    )


def test_canonical_json_writes_urdu_as_utf8_not_escapes():
    text = canonical_json({"name": "محمد علی خان"})
    assert text == '{"name":"محمد علی خان"}'
    assert "\\u" not in text


def test_canonical_json_matches_rfc_8785_key_order_and_escaping():
    # The sorting example of RFC 8785 section 3.2.3, with the strings kept.
    payload = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    assert canonical_json(payload) == (
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control",'
        '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",'
        '"\U0001f600":"Emoji: Grinning Face",'
        '"\ufb33":"Hebrew Letter Dalet With Dagesh"}'
    )


def test_canonical_json_equals_the_documented_json_dumps_call_for_bmp_keys():
    documented = json.dumps(
        PAYLOAD, ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )
    assert canonical_json(PAYLOAD) == documented


def test_canonical_json_escapes_control_characters_in_lower_case_hex():
    assert canonical_json({"a": 'q"\\\n\x1f'}) == '{"a":"q\\"\\\\\\n\\u001f"}'


@pytest.mark.parametrize(
    "payload",
    [
        {"hours": 12.5},
        {"hours": math.nan},
        {"hours": math.inf},
        {"hours": Decimal("12.5")},
        {"list": (1, 2)},
        {1: "non-string key"},
        {"big": 2**53},
        {"nested": [{"deep": [1.0]}]},
        {"surrogate": "\ud800"},
        {"\udfff": "surrogate key"},
        {"set": {1, 2}},
    ],
)
def test_canonical_json_refuses_values_outside_the_documented_subset(payload):
    with pytest.raises(CanonicalJSONError):
        canonical_json(payload)


def test_canonical_json_requires_an_object_at_the_top():
    with pytest.raises(CanonicalJSONError):
        canonical_json([1, 2])


def test_canonical_json_accepts_the_largest_safe_integers():
    assert canonical_json({"n": -(2**53 - 1)}) == '{"n":-9007199254740991}'


# --- keys and signatures --------------------------------------------------------


def test_kid_is_the_rfc_7638_thumbprint_from_rfc_8037():
    # RFC 8037 appendix A.3.
    assert (
        jwk_thumbprint("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
        == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    )


def test_signing_matches_the_rfc_8037_example(tmp_path):
    # RFC 8037 appendix A.1 key and A.4 signature over a JWS signing input.
    seed = b64url_decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A")
    pem = Ed25519PrivateKey.from_private_bytes(seed).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (tmp_path / "ed25519-000001.pem").write_bytes(pem)
    keyring = SigningKeyring(tmp_path)

    kid, signature = keyring.sign(
        "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
    )

    assert kid == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    assert signature == (
        "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sV"
        "vpAr_MuM0KAg"
    )


def test_first_use_creates_one_private_key_readable_only_by_its_owner(tmp_path):
    directory = tmp_path / "keys"
    keyring = SigningKeyring(directory)

    key = keyring.active_key()

    files = sorted(os.listdir(directory))
    assert files == ["ed25519-000001.pem"]
    assert stat.S_IMODE(os.stat(directory / files[0]).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    assert keyring.active_key().kid == key.kid
    assert SigningKeyring(directory).active_key().kid == key.kid


def test_signature_verifies_and_forgeries_do_not(tmp_path):
    keyring = SigningKeyring(tmp_path)
    payload = canonical_json(PAYLOAD)
    kid, signature = keyring.sign(payload)

    assert keyring.verify(payload, signature, kid)
    forged = canonical_json({**PAYLOAD, "holder_name_en": "Someone Else"})
    assert not keyring.verify(forged, signature, kid)
    assert not keyring.verify(payload + " ", signature, kid)


def test_verify_is_false_for_a_wrong_or_unknown_kid(tmp_path):
    keyring = SigningKeyring(tmp_path)
    payload = canonical_json(PAYLOAD)
    kid, signature = keyring.sign(payload)
    other_kid = keyring.rotate().kid

    assert not keyring.verify(payload, signature, other_kid)
    assert not keyring.verify(payload, signature, "no-such-kid")
    assert not keyring.verify(payload, signature, None)
    assert not SigningKeyring(tmp_path / "empty").verify(payload, signature, kid)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda s: s + "=",  # padding is not part of the encoding
        lambda s: s + "==",
        lambda s: s[:-1],  # wrong length
        lambda s: s[:-2],
        lambda s: "!" + s[1:],  # not base64url
        lambda s: s.replace("-", "+").replace("_", "/") + "+/",
        lambda s: s[:-1] + chr(ord(s[-1]) ^ 1),  # non-canonical last symbol
        lambda s: "",
        lambda s: "A" * 5000,
        lambda s: None,
        lambda s: 42,
        lambda s: s.encode(),
    ],
)
def test_verify_is_false_never_an_error_for_malformed_signatures(tmp_path, mangle):
    keyring = SigningKeyring(tmp_path)
    payload = canonical_json(PAYLOAD)
    kid, signature = keyring.sign(payload)

    assert not keyring.verify(payload, mangle(signature), kid)


def test_verify_is_false_for_a_payload_that_is_not_text(tmp_path):
    keyring = SigningKeyring(tmp_path)
    kid, signature = keyring.sign("{}")

    assert not keyring.verify(b"{}", signature, kid)
    assert not keyring.verify(None, signature, kid)
    assert not keyring.verify("\ud800", signature, kid)


def test_rotation_signs_with_the_new_key_and_still_verifies_old_signatures(tmp_path):
    keyring = SigningKeyring(tmp_path)
    payload = canonical_json(PAYLOAD)
    old_kid, old_signature = keyring.sign(payload)

    new_key = keyring.rotate()
    new_kid, new_signature = keyring.sign(payload)

    assert new_kid == new_key.kid != old_kid
    assert keyring.active_key().kid == new_kid
    assert keyring.verify(payload, old_signature, old_kid)
    assert keyring.verify(payload, new_signature, new_kid)
    assert [jwk["kid"] for jwk in keyring.jwks()["keys"]] == [new_kid, old_kid]


def test_a_rotation_in_another_process_is_seen_without_restarting(tmp_path):
    web = SigningKeyring(tmp_path)
    web.active_key()
    new_kid = SigningKeyring(tmp_path).rotate().kid

    kid, signature = web.sign("{}")

    assert kid == new_kid
    assert web.verify("{}", signature, kid)


def test_jwks_publishes_public_keys_only(tmp_path):
    keyring = SigningKeyring(tmp_path)
    keyring.rotate()
    jwks = keyring.jwks()

    for jwk in jwks["keys"]:
        assert set(jwk) == {"kty", "crv", "x", "kid", "use", "alg"}
        assert (jwk["kty"], jwk["crv"], jwk["use"], jwk["alg"]) == (
            "OKP",
            "Ed25519",
            "sig",
            "EdDSA",
        )
        assert len(b64url_decode(jwk["x"])) == 32
        assert jwk["kid"] == jwk_thumbprint(jwk["x"])


def test_a_third_party_verifies_offline_from_the_published_jwks_alone(tmp_path):
    keyring = SigningKeyring(tmp_path)
    keyring.rotate()
    payload = canonical_json(PAYLOAD)
    kid, signature = keyring.sign(payload)
    published = json.loads(json.dumps(keyring.jwks()))
    del keyring

    # What an employer's script would do with nothing but cryptography.
    (jwk,) = [jwk for jwk in published["keys"] if jwk["kid"] == kid]
    public_key = Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
    public_key.verify(b64url_decode(signature), payload.encode("utf-8"))
    with pytest.raises(InvalidSignature):
        public_key.verify(b64url_decode(signature), payload.encode("utf-8") + b" ")

    assert verify_with_jwks(published, payload, signature, kid)
    assert not verify_with_jwks(
        published, payload.replace("12.5", "125"), signature, kid
    )


def test_offline_verification_refuses_a_key_whose_kid_is_not_its_thumbprint(
    tmp_path,
):
    keyring = SigningKeyring(tmp_path)
    trusted_kid = keyring.active_key().kid
    # An attacker signs with their own key but labels it with the trusted kid.
    attacker = Ed25519PrivateKey.generate()
    raw = attacker.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    forged_jwks = {
        "keys": [
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode(),
                "kid": trusted_kid,
            }
        ]
    }
    signature = base64.urlsafe_b64encode(attacker.sign(b"{}")).rstrip(b"=").decode()

    assert not verify_with_jwks(forged_jwks, "{}", signature, trusted_kid)


@pytest.mark.parametrize(
    "jwks", [None, {}, {"keys": None}, {"keys": [None]}, {"keys": [{"kid": "k"}]}]
)
def test_offline_verification_is_false_for_malformed_jwks(jwks):
    assert not verify_with_jwks(jwks, "{}", "AAAA", "k")


def test_a_corrupted_key_file_is_reported_not_ignored(tmp_path):
    (tmp_path / "ed25519-000001.pem").write_text("not a key")

    with pytest.raises(KeyringError):
        SigningKeyring(tmp_path).active_key()


def _first_use(directory, barrier, results):
    barrier.wait()
    results.put(SigningKeyring(directory).active_key().kid)


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork"
)
def test_processes_starting_together_agree_on_one_first_key(tmp_path):
    context = multiprocessing.get_context("fork")
    workers = 8
    for attempt in range(5):
        directory = tmp_path / f"keys-{attempt}"
        barrier = context.Barrier(workers)
        results = context.Queue()
        processes = [
            context.Process(target=_first_use, args=(directory, barrier, results))
            for _ in range(workers)
        ]
        for process in processes:
            process.start()
        kids = [results.get(timeout=30) for _ in processes]
        for process in processes:
            process.join(timeout=30)
            assert process.exitcode == 0

        assert len(set(kids)) == 1
        assert os.listdir(directory) == ["ed25519-000001.pem"]
