import pytest

from certificates import services
from certificates.models import Certificate, CertificateEvent, CertificateTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_learner):
    return make_learner(email="manager@example.org")


def test_revoking_keeps_the_record_and_logs_who_and_why(issued, manager):
    services.revoke_certificate(issued, reason="Issued in error", actor=manager)
    issued.refresh_from_db()
    assert issued.status() == "revoked"
    assert issued.revocation_reason == "Issued in error"
    event = issued.events.get(action=CertificateEvent.Action.REVOKED)
    assert event.actor == manager
    assert event.details == {"reason": "Issued in error"}
    assert Certificate.objects.filter(pk=issued.pk).exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_revoking_needs_a_reason_and_changes_nothing_without_one(
    issued, manager, reason
):
    with pytest.raises(services.CertificateError):
        services.revoke_certificate(issued, reason=reason, actor=manager)
    issued.refresh_from_db()
    assert issued.revoked_at is None
    assert not issued.events.filter(action="revoked").exists()


def test_revoking_twice_is_refused(issued, manager):
    services.revoke_certificate(issued, reason="Issued in error", actor=manager)
    with pytest.raises(services.CertificateError, match="already revoked"):
        services.revoke_certificate(issued, reason="Again", actor=manager)
    assert issued.events.filter(action="revoked").count() == 1


def test_reissue_after_a_name_correction_links_both_ways(
    client, issued, manager, correct_name
):
    new = correct_name(issued, manager)
    issued.refresh_from_db()
    assert new.verification_code != issued.verification_code
    assert new.supersedes == issued
    assert new.holder_name_en == "Muhammad Ali Khan Niazi"
    assert new.course_title_en == issued.course_title_en
    assert not issued.is_current and new.is_current
    assert issued.status() == "revoked"

    old_page = client.get(f"/verify/{issued.verification_code}/").content.decode()
    assert "replaced by a newer certificate" in old_page
    assert new.verification_code in old_page
    body = client.get(f"/verify/{issued.verification_code}.json").json()
    assert body["replaced_by"] == new.verification_code
    new_body = client.get(f"/verify/{new.verification_code}.json").json()
    assert new_body["status"] == "valid"
    assert new_body["replaces"] == issued.verification_code
    assert f'"replaces":"{issued.verification_code}"' in new_body["signed_payload"]
    actions = list(
        CertificateEvent.objects.filter(actor=manager).values_list("action", flat=True)
    )
    assert sorted(actions) == ["reissued", "superseded"]


def test_a_replaced_certificate_cannot_be_replaced_again(issued, manager):
    services.reissue_certificate(
        issued, actor=manager, holder_name_en="A", holder_name_ur="", reason="typo"
    )
    with pytest.raises(services.CertificateError, match="already been replaced"):
        services.reissue_certificate(
            issued, actor=manager, holder_name_en="B", holder_name_ur="", reason="x"
        )
    assert Certificate.objects.count() == 2


def test_reissue_needs_a_reason(issued, manager):
    with pytest.raises(services.CertificateError):
        services.reissue_certificate(
            issued, actor=manager, holder_name_en="A", holder_name_ur="", reason=""
        )
    assert Certificate.objects.count() == 1


def test_expiry_follows_the_template_and_renewal_issues_a_fresh_period(
    make_learner, make_course, complete_course, manager
):
    import datetime

    from django.utils import timezone

    CertificateTemplate.objects.filter(name="Default").update(validity_months=24)
    complete_course(make_learner(), make_course(lessons=1))
    certificate = Certificate.objects.get()
    today = timezone.localdate()
    assert certificate.expires_on.year == today.year + 2
    assert certificate.status(certificate.expires_on + datetime.timedelta(days=1)) == (
        "expired"
    )
    renewed = services.renew_certificate(certificate, actor=manager)
    assert renewed.supersedes == certificate
    assert renewed.expires_on == CertificateTemplate.objects.get(
        name="Default"
    ).expiry_for(renewed.issued_on)
    certificate.refresh_from_db()
    assert certificate.revoked_at is None and not certificate.is_current


def test_certificates_that_do_not_expire_cannot_be_renewed(issued, manager):
    with pytest.raises(services.CertificateError, match="does not expire"):
        services.renew_certificate(issued, actor=manager)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-01-31", 1, "2026-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2026-11-25", 24, "2028-11-25"),
        ("2026-12-15", 1, "2027-01-15"),
    ],
)
def test_months_are_added_to_the_calendar(day, months, expected):
    import datetime

    from certificates.models import add_months

    assert add_months(datetime.date.fromisoformat(day), months).isoformat() == expected
