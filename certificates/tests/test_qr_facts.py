"""The certificate's signed facts in its QR code, read as an employer's phone
would with no connection: the published keys and the QR's text alone."""

import base64
import json

import pytest
from django.conf import settings as django_settings

from certificates import qr_facts
from certificates.services.signed import keyring
from certificates.tests.test_rendering import run

pytestmark = pytest.mark.django_db


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _qr_text(certificate, tmp_path) -> str:
    """The QR code of the issued PDF, decoded from a 150 dpi rendering."""
    pdf = tmp_path / "certificate.pdf"
    with certificate.pdf.open("rb") as file:
        pdf.write_bytes(file.read())
    run("pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "p"))
    [text] = run("zbarimg", "--quiet", "--raw", str(tmp_path / "p.png")).splitlines()
    return text


def test_the_printed_qr_carries_facts_that_the_published_keys_verify(issued, tmp_path):
    text = _qr_text(issued, tmp_path)
    address, _hash, fragment = text.partition("#")
    assert address == (f"{django_settings.SITE_URL}/verify/{issued.verification_code}/")
    facts = qr_facts.read_fragment(fragment, keyring().jwks())
    assert facts == qr_facts.QrFacts(
        code=issued.verification_code,
        holder="Muhammad Ali Khan",
        course=issued.course_title_en,
        issued_on=issued.issued_on.isoformat(),
        expires_on="",
        cpd_hours=qr_facts.rendering.format_hours(issued.cpd_hours),
        kid_prefix=issued.key_id[:8],
    )
    # Small enough for a QR code read at arm's length (see the README).
    assert len(text) < 320


def _fragment(certificate) -> str:
    return qr_facts.signed_fragment(certificate, keyring())


def _altered(fragment: str, change) -> str:
    encoded, signature = fragment.removeprefix("c=").split(".")
    facts = json.loads(_unb64(encoded))
    change(facts)
    data = json.dumps(facts, ensure_ascii=False, separators=(",", ":")).encode()
    return f"c={_b64(data)}.{signature}"


@pytest.mark.parametrize(
    "change",
    [
        lambda facts: facts.__setitem__(2, "Someone Else"),
        lambda facts: facts.__setitem__(3, "A course never taken"),
        lambda facts: facts.__setitem__(4, "2020-01-01"),
        lambda facts: facts.__setitem__(5, "2099-12-31"),
        lambda facts: facts.__setitem__(6, "60"),
        lambda facts: facts.__setitem__(1, "AAAA-BBBB-CCCC-DDDD"),
    ],
    ids=["holder", "course", "issued", "expires", "hours", "code"],
)
def test_altered_facts_fail_the_signature(issued, change):
    fragment = _fragment(issued)
    assert qr_facts.read_fragment(fragment, keyring().jwks()) is not None
    assert qr_facts.read_fragment(_altered(fragment, change), keyring().jwks()) is None


def test_a_signature_from_another_key_or_an_unknown_key_fails(issued, tmp_path):
    from certificates.signing import SigningKeyring

    stranger = SigningKeyring(tmp_path / "keys")
    stranger.active_key()
    issued.key_id = stranger.keys()[0].kid
    forged = qr_facts.signed_fragment(issued, stranger)
    assert qr_facts.read_fragment(forged, stranger.jwks()) is not None
    assert qr_facts.read_fragment(forged, keyring().jwks()) is None


@pytest.mark.parametrize(
    "fragment",
    [
        "",
        "c=",
        "c=.",
        "x=abc.def",
        "c=not base64!.abc",
        "c=" + _b64(b"\xff\xfe") + ".AAAA",
        "c=" + _b64(b'{"a": 1}') + ".AAAA",
        "c=" + _b64(b'["AL1","a","b"]') + ".AAAA",
        "c=" + _b64(json.dumps(["AL2", *"abcdefg"]).encode()) + ".AAAA",
        "c=" + "A" * 2000,
    ],
)
def test_malformed_fragments_are_refused_without_error(fragment):
    assert qr_facts.read_fragment(fragment, {"keys": []}) is None


def test_the_signed_bytes_are_the_documented_json_array(issued):
    data = qr_facts.compact_facts(issued)
    facts = json.loads(data)
    assert facts[0] == "AL1" and len(facts) == 8
    assert data == json.dumps(facts, ensure_ascii=False, separators=(",", ":")).encode()


def test_long_names_are_cut_so_the_code_stays_readable(issued):
    issued.holder_name_en = "Muhammad " * 20
    issued.course_title_en = "Classroom management " * 10
    facts = json.loads(qr_facts.compact_facts(issued))
    assert len(facts[2]) <= qr_facts.MAX_NAME and facts[2].endswith("\u2026")
    assert len(facts[3]) <= qr_facts.MAX_TITLE
    fragment = _fragment(issued)
    assert qr_facts.read_fragment(fragment, keyring().jwks()).holder == facts[2]
