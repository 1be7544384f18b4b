import datetime
import json

import pytest
from django.utils import timezone

from certificates import services
from certificates.models import Certificate
from certificates.signing import SigningKeyring

pytestmark = pytest.mark.django_db


def page(client, certificate, suffix="/"):
    return client.get(f"/verify/{certificate.verification_code}{suffix}")


def test_valid_certificate_page_shows_the_facts_and_nothing_private(client, issued):
    response = page(client, issued)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Valid certificate" in html
    for text in (
        "Muhammad Ali Khan",
        "محمد علی خان",
        issued.course_title_en,
        "Test programme",
        issued.verification_code,
        "Alliance Teachers Forum",
    ):
        assert text in html
    assert issued.user.email not in html
    assert "Government High School" not in html
    assert response["X-Robots-Tag"].startswith("noindex")
    assert '<meta name="robots" content="noindex' in html
    assert "<script" not in html.split("<footer")[0].split("<main")[1]


def test_verification_page_is_under_15_kb(client, issued):
    assert len(page(client, issued).content) < 15 * 1024


def test_urdu_verification_page_is_right_to_left(client, issued):
    response = client.get(f"/ur/verify/{issued.verification_code}/")
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert "محمد علی خان" in html


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.lower(),
        lambda code: code.replace("-", ""),
        lambda code: code.replace("-", "").lower(),
    ],
)
def test_codes_are_accepted_in_any_case_with_or_without_hyphens(client, issued, typed):
    response = client.get(f"/verify/{typed(issued.verification_code)}/")
    assert response.status_code == 301
    assert response["Location"] == f"/verify/{issued.verification_code}/"
    search = client.get("/verify/", {"code": typed(issued.verification_code)})
    assert search["Location"] == f"/verify/{issued.verification_code}/"


def test_typed_code_that_cannot_be_a_code_gets_a_message(client, db):
    response = client.get("/verify/", {"code": "hello"})
    assert response.status_code == 200
    assert "That is not a certificate code" in response.content.decode()


def test_json_carries_status_signed_payload_signature_and_key_id(client, issued):
    response = page(client, issued, ".json")
    body = response.json()
    assert body["status"] == "valid"
    assert body["integrity"] == "intact"
    assert body["signed_payload"] == issued.signed_payload
    assert body["signature"] == issued.signature
    assert body["kid"] == issued.key_id
    assert json.loads(body["signed_payload"])["holder"]["ur"] == "محمد علی خان"
    assert body["pdf_sha256"] == issued.pdf_sha256
    assert issued.user.email not in response.content.decode()
    keys = client.get("/.well-known/certificate-keys.json").json()
    assert body["kid"] in [key["kid"] for key in keys["keys"]]


def test_unknown_code_answers_404_without_revealing_anything(client, db):
    response = client.get("/verify/K7QM-3XD9-P2RT-W8HC/")
    assert response.status_code == 404
    assert "No certificate has this code" in response.content.decode()
    assert client.get("/verify/K7QM-3XD9-P2RT-W8HC.json").json() == {
        "error": "not_found"
    }
    assert client.get("/verify/K7QM-3XD9-P2RT-W8HC.pdf").status_code == 404


def test_each_verification_is_counted_and_the_learner_sees_it(client, issued):
    page(client, issued)
    page(client, issued, ".json")
    issued.refresh_from_db()
    assert issued.verification_count == 2
    client.force_login(issued.user)
    html = client.get("/learning/").content.decode()
    assert "Checked 2 times by employers" in html


def test_expired_certificate_is_reported_as_expired(client, issued):
    Certificate.objects.filter(pk=issued.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    issued.refresh_from_db()
    # The expiry date is signed, so re-sign as issuing would have.
    services.sign_certificate(issued)
    issued.save()
    assert "Expired certificate" in page(client, issued).content.decode()
    assert page(client, issued, ".json").json()["status"] == "expired"


def test_revoked_certificate_shows_date_and_reason(client, issued, make_learner):
    manager = make_learner(email="manager@example.org")
    services.revoke_certificate(issued, reason="Plagiarised final task", actor=manager)
    html = page(client, issued).content.decode()
    assert "Revoked certificate" in html
    assert "Plagiarised final task" in html
    body = page(client, issued, ".json").json()
    assert body["status"] == "revoked"
    assert body["revocation_reason"] == "Plagiarised final task"
    assert body["revoked_at"]


def test_forged_payload_is_reported(client, issued):
    forged = issued.signed_payload.replace('"cpd_hours":"6"', '"cpd_hours":"60"')
    Certificate.objects.filter(pk=issued.pk).update(signed_payload=forged, cpd_hours=60)
    assert "forged" in page(client, issued).content.decode()
    body = page(client, issued, ".json").json()
    assert (body["status"], body["integrity"]) == ("invalid", "bad_signature")


def test_record_altered_after_signing_is_reported(client, issued):
    Certificate.objects.filter(pk=issued.pk).update(holder_name_en="Someone Else")
    assert "altered since it was signed" in page(client, issued).content.decode()
    body = page(client, issued, ".json").json()
    assert (body["status"], body["integrity"]) == ("invalid", "altered")


def test_signature_under_an_unknown_key_id_is_reported(client, issued, tmp_path):
    stranger = SigningKeyring(tmp_path / "stranger")
    kid, signature = stranger.sign(issued.signed_payload)
    Certificate.objects.filter(pk=issued.pk).update(key_id=kid, signature=signature)
    assert (
        "not made with any of our published keys"
        in page(client, issued).content.decode()
    )
    body = page(client, issued, ".json").json()
    assert (body["status"], body["integrity"]) == ("invalid", "unknown_key")


def test_rotated_keys_still_verify_older_certificates(
    client, issued, settings, tmp_path
):
    import shutil

    shutil.copytree(settings.CERTIFICATE_KEY_DIR, tmp_path / "keys")
    settings.CERTIFICATE_KEY_DIR = tmp_path / "keys"
    services.keyring().rotate()
    assert services.keyring().active_key().kid != issued.key_id
    assert page(client, issued, ".json").json()["integrity"] == "intact"
    kids = [
        key["kid"]
        for key in client.get("/.well-known/certificate-keys.json").json()["keys"]
    ]
    assert issued.key_id in kids and len(kids) >= 2


@pytest.fixture(params=["local memory", "redis"])
def any_cache(request):
    """The embedded default cache, then a real Redis shared by web servers."""
    if request.param == "redis":
        return request.getfixturevalue("redis_cache")
    from django.core.cache import cache

    cache.clear()
    return cache


def test_many_unknown_codes_from_one_client_are_refused_then_all_lookups(
    client, issued, settings, any_cache
):
    settings.VERIFY_MISS_LIMIT = 5
    for number in range(5):
        response = client.get(f"/verify/K7QM-3XD9-P2RT-W8H{number}/")
        assert response.status_code == 404
    assert client.get("/verify/K7QM-3XD9-P2RT-W8H9/").status_code == 429
    # Once refused, even a real code is refused, so guesses learn nothing.
    assert page(client, issued).status_code == 429
    assert page(client, issued, ".json").status_code == 429
    assert page(client, issued, ".pdf").status_code == 429
    # Another client is unaffected.
    other = client.get(f"/verify/{issued.verification_code}/", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_refused_look_ups_are_not_counted(client, issued, settings, any_cache):
    settings.VERIFY_MISS_LIMIT = 1
    assert client.get("/verify/K7QM-3XD9-P2RT-W8H0.json").status_code == 404
    assert page(client, issued, ".json").status_code == 429
    from certificates import verification

    verification.flush_counts()
    issued.refresh_from_db()
    assert verification.with_pending_counts([issued])[0].times_checked == 0


def test_unknown_pdfs_and_unknown_codes_share_one_limit(
    client, issued, settings, any_cache
):
    settings.VERIFY_MISS_LIMIT = 3
    assert client.get("/verify/K7QM-3XD9-P2RT-W8H0/").status_code == 404
    _upload(client, b"%PDF-1.7 not one of ours")
    assert client.get("/verify/K7QM-3XD9-P2RT-W8H1.json").status_code == 404
    assert page(client, issued, ".json").status_code == 429
    assert "Too many" in _upload(client, b"%PDF-1.7 another").content.decode()


def test_known_codes_never_count_toward_the_limit(client, issued, settings, any_cache):
    settings.VERIFY_MISS_LIMIT = 3
    for _ in range(20):
        assert page(client, issued, ".json").status_code == 200
    for suffix in ("/", ".pdf"):
        assert page(client, issued, suffix).status_code == 200


def test_pdf_download_is_the_stored_file(client, issued):
    response = page(client, issued, ".pdf")
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    with issued.pdf.open("rb") as file:
        assert data == file.read()


def test_pdf_is_made_on_demand_if_the_task_has_not_run_yet(
    client, make_learner, make_course, complete_course
):
    complete_course(make_learner(), make_course(lessons=1))
    certificate = Certificate.objects.get()
    assert not certificate.pdf  # on_commit never ran inside this test
    response = page(client, certificate, ".pdf")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    certificate.refresh_from_db()
    assert certificate.pdf_sha256


def test_uploaded_pdf_that_is_the_issued_one_is_recognised(client, issued):
    with issued.pdf.open("rb") as file:
        data = file.read()
    html = _upload(client, data).content.decode()
    assert "This is the PDF we issued" in html
    assert issued.verification_code in html


def test_uploaded_pdf_that_was_altered_is_reported(client, issued):
    with issued.pdf.open("rb") as file:
        data = bytearray(file.read())
    data[-200] ^= 0x01  # one changed bit
    html = _upload(client, bytes(data)).content.decode()
    assert "This PDF has been changed" in html
    assert issued.verification_code in html


def test_uploaded_pdf_we_never_issued_is_reported(client, issued):
    html = _upload(client, b"%PDF-1.4\n% something else\n%%EOF").content.decode()
    assert "We did not issue this PDF" in html


def test_upload_that_is_not_a_pdf_gets_a_message(client, db):
    html = _upload(client, b"GIF89a not a pdf").content.decode()
    assert "The file is not a PDF." in html


def _upload(client, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/verify/", {"pdf": SimpleUploadedFile("c.pdf", data, "application/pdf")}
    )


def test_public_keys_are_a_jwks_of_ed25519_keys(client, issued):
    response = client.get("/.well-known/certificate-keys.json")
    assert response["Access-Control-Allow-Origin"] == "*"
    key = response.json()["keys"][0]
    assert (key["kty"], key["crv"], key["alg"]) == ("OKP", "Ed25519", "EdDSA")
    assert "d" not in key


def test_a_pdf_lost_from_storage_answers_404_and_is_not_remade(client, issued):
    issued.pdf.storage.delete(issued.pdf.name)
    assert page(client, issued, ".pdf").status_code == 404
    issued.refresh_from_db()
    assert issued.pdf_sha256  # the record of what was issued is untouched


def test_a_look_up_is_one_query_that_also_counts_it(
    client, issued, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert page(client, issued, ".json").status_code == 200
    with django_assert_num_queries(1):
        assert page(client, issued).status_code == 200
    issued.refresh_from_db()
    assert issued.verification_count == 2


def test_codes_in_urdu_sentences_are_isolated_left_to_right(client, issued):
    with issued.pdf.open("rb") as file:
        data = file.read()
    from django.core.files.uploadedfile import SimpleUploadedFile

    html = client.post(
        "/ur/verify/", {"pdf": SimpleUploadedFile("c.pdf", data, "application/pdf")}
    ).content.decode()
    assert f"\u2066{issued.verification_code}\u2069" in html


@pytest.mark.parametrize("count", [True, False])
def test_a_look_up_reads_the_record_as_the_orm_does(
    rf, issued, make_learner, count, any_cache
):
    from certificates import verification

    manager = make_learner(email="manager@example.org")
    services.revoke_certificate(issued, reason="Lost", actor=manager)
    found = verification.look_up(
        rf.get("/"), issued.verification_code, count=count
    ).certificate
    fresh = Certificate.objects.get(pk=issued.pk)
    assert found.pk == issued.pk and found._state.adding is False
    for field in Certificate._meta.concrete_fields:
        if field.name != "verification_count":
            assert getattr(found, field.attname) == getattr(fresh, field.attname)
            assert type(getattr(found, field.attname)) is type(
                getattr(fresh, field.attname)
            ), field.name
    assert isinstance(found.revoked_at, datetime.datetime)
    assert verification.look_up(rf.get("/"), "K7QM-3XD9-P2RT-W8HC").certificate is None


def test_verify_is_one_query_and_judges_a_current_certificate_without_another(
    rf, issued, django_assert_num_queries
):
    from certificates import verification

    with django_assert_num_queries(1):
        found = verification.verify(rf.get("/"), issued.verification_code.lower())
        assert found.certificate.pk == issued.pk and not found.refused
        assert found.verdict.status == "valid"
        assert found.verdict.integrity == verification.INTACT
        assert found.replaced_by is None
    issued.refresh_from_db()
    assert issued.verification_count == 1


def test_verify_names_the_replacement_of_a_reissued_certificate(
    rf, issued, make_learner, any_cache
):
    from certificates import verification

    manager = make_learner(email="manager@example.org")
    new = services.reissue_certificate(
        issued,
        actor=manager,
        holder_name_en="Muhammad Ali Khan Niazi",
        holder_name_ur="محمد علی خان نیازی",
        reason="Name corrected",
    )
    found = verification.verify(rf.get("/"), issued.verification_code)
    assert found.replaced_by.pk == new.pk
    assert found.verdict.status == "revoked"


def test_verify_without_counting_leaves_the_count_alone(rf, issued, any_cache):
    from certificates import verification

    found = verification.verify(rf.get("/"), issued.verification_code, count=False)
    assert found.certificate.pk == issued.pk
    issued.refresh_from_db()
    assert issued.verification_count == 0


def test_verify_of_no_such_code_finds_nothing_and_judges_nothing(rf, any_cache):
    from certificates import verification

    for code in ("K7QM-3XD9-P2RT-W8HC", "not a code"):
        found = verification.verify(rf.get("/"), code)
        assert found.certificate is None and not found.refused
        assert found.verdict is None and found.replaced_by is None
