"""Who sees an award's page, who may issue and revoke, and the teacher's
consent switch."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group

from awards import services
from awards.models import Award, IssuedAward
from lms.accounts import services as accounts

pytestmark = pytest.mark.django_db


def test_without_consent_the_page_is_the_teachers_alone(issued, client, make_learner):
    url = f"/awards/{issued.public_id}/"
    assert client.get(url).status_code == 404
    assert client.get(url + "credential.json").status_code == 404
    client.force_login(make_learner())  # another learner
    assert client.get(url).status_code == 404
    assert client.get(url + "credential.json").status_code == 404
    client.force_login(issued.user)
    page = client.get(url)
    assert page.status_code == 200
    assert "Only you can see this page" in page.content.decode()


def test_consent_makes_the_page_public_and_withdrawing_it_hides_it(issued, client):
    url = f"/awards/{issued.public_id}/"
    client.force_login(issued.user)
    response = client.post(url + "consent/", {"public": "on"})
    assert response.status_code == 302
    client.logout()
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Ayesha Bibi" in body
    assert "Started a reading corner" in body
    assert "ayesha@example.org" not in body  # the e-mail is never public

    urdu = client.get(f"/ur{url}").content.decode()
    assert "عائشہ بی بی" in urdu and "تدریسی فضیلت ایوارڈ" in urdu

    client.force_login(issued.user)
    client.post(url + "consent/", {"public": "off"})
    client.logout()
    assert client.get(url).status_code == 404


def test_a_learner_cannot_consent_for_anothers_award(issued, client, make_learner):
    client.force_login(make_learner())
    response = client.post(f"/awards/{issued.public_id}/consent/", {"public": "on"})
    assert response.status_code == 404
    issued.refresh_from_db()
    assert issued.page_is_public is False


def test_consent_needs_post_and_sign_in(issued, client):
    url = f"/awards/{issued.public_id}/consent/"
    assert client.post(url, {"public": "on"}).status_code == 302  # to sign in
    client.force_login(issued.user)
    assert client.get(url).status_code == 405
    issued.refresh_from_db()
    assert issued.page_is_public is False


def test_consent_writes_are_rate_limited(issued, client, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "award_consent": {"learner": (2, 3600), "address": None},
    }
    client.force_login(issued.user)
    url = f"/awards/{issued.public_id}/consent/"
    assert client.post(url, {"public": "on"}).status_code == 302
    assert client.post(url, {"public": "off"}).status_code == 302
    assert client.post(url, {"public": "on"}).status_code == 429
    issued.refresh_from_db()
    assert issued.page_is_public is False  # the refused write changed nothing


def test_a_large_consent_body_is_refused_before_the_view(issued, client):
    client.force_login(issued.user)
    response = client.post(
        f"/awards/{issued.public_id}/consent/", {"public": "on", "pad": "x" * 4000}
    )
    assert response.status_code == 413
    issued.refresh_from_db()
    assert issued.page_is_public is False


def test_a_revoked_award_has_no_page_and_cannot_be_made_public(issued, manager, client):
    services.set_award_page_consent(issued.user, issued.public_id, consented=True)
    services.revoke_award(issued, reason="Awarded in error", actor=manager)
    assert client.get(f"/awards/{issued.public_id}/").status_code == 404
    with pytest.raises(services.AwardError):
        services.set_award_page_consent(issued.user, issued.public_id, consented=True)


@pytest.mark.parametrize(
    "group", [accounts.TRAINERS_GROUP, accounts.COORDINATORS_GROUP, None]
)
def test_only_programme_managers_issue_and_revoke(
    group, member_of, award, teacher, issued, client
):
    someone = member_of(*([group] if group else []))
    with pytest.raises(services.AwardError):
        services.issue_award(award, teacher, actor=someone)
    with pytest.raises(services.AwardError):
        services.revoke_award(issued, reason="no", actor=someone)
    client.force_login(someone)
    assert client.get("/admin/issued-awards/issue/").status_code in (302, 403)
    assert client.get("/admin/awards/new/").status_code in (302, 403)
    response = client.post(
        "/admin/issued-awards/issue/", {"award": award.pk, "email": teacher.email}
    )
    assert response.status_code in (302, 403)
    assert client.post(
        f"/admin/issued-awards/{issued.pk}/revoke/", {"reason": "x"}
    ).status_code in (302, 403)
    assert IssuedAward.objects.count() == 1
    issued.refresh_from_db()
    assert issued.revoked_at is None


def test_a_district_coordinator_has_no_award_permissions(member_of):
    coordinator = member_of(accounts.COORDINATORS_GROUP)
    assert not any(
        coordinator.has_perm(f"awards.{action}_{model}")
        for action in ("add", "change", "view", "delete")
        for model in ("award", "issuedaward")
    )
    manager = member_of(accounts.PROGRAMME_MANAGERS_GROUP)
    assert manager.has_perm("awards.add_award")
    assert manager.has_perm("awards.add_issuedaward")
    assert not manager.has_perm("awards.delete_issuedaward")  # revoke, never delete


def test_a_manager_creates_an_award_and_issues_it_in_the_admin(
    manager, programme, teacher, client
):
    client.force_login(manager)
    response = client.post(
        "/admin/awards/new/",
        {
            "name_en": "Rural Service Award — national level, 2026",
            "name_ur": "دیہی خدمت ایوارڈ — قومی سطح، 2026",
            "description_en": "For years of teaching in a remote school.",
            "description_ur": "دور دراز اسکول میں برسوں تدریس کے لیے۔",
            "level": "national",
            "category": "rural_service",
            "year": "2026",
            "programme": programme.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    award = Award.objects.get(category="rural_service")
    page = client.get(f"/admin/issued-awards/issue/?award={award.pk}")
    assert page.status_code == 200
    response = client.post(
        "/admin/issued-awards/issue/",
        {"award": award.pk, "email": "AYESHA@example.org", "citation_en": "Ten years."},
    )
    assert response.status_code == 302
    issued = IssuedAward.objects.get(award=award)
    assert issued.user == teacher and issued.issued_by == manager
    # Again: nothing new, and the manager is told.
    client.post(
        "/admin/issued-awards/issue/", {"award": award.pk, "email": teacher.email}
    )
    assert IssuedAward.objects.filter(award=award).count() == 1
    inspect = client.get(f"/admin/issued-awards/inspect/{issued.pk}/")
    assert inspect.status_code == 200
    listing = client.get("/admin/issued-awards/")
    assert listing.status_code == 200 and "Ayesha Bibi" in listing.content.decode()


def test_an_unknown_email_in_the_issue_form_is_a_clear_error(manager, award, client):
    client.force_login(manager)
    response = client.post(
        "/admin/issued-awards/issue/", {"award": award.pk, "email": "nobody@x.org"}
    )
    assert response.status_code == 200
    assert "No teacher has an account with the address nobody@x.org" in (
        response.content.decode()
    )
    assert not IssuedAward.objects.exists()


def test_revoking_in_the_admin_flips_the_bit_and_needs_a_reason(
    manager, issued, client
):
    from certificates.models import StatusList

    client.force_login(manager)
    client.post(f"/admin/issued-awards/{issued.pk}/revoke/", {"reason": ""})
    issued.refresh_from_db()
    assert issued.revoked_at is None
    client.post(f"/admin/issued-awards/{issued.pk}/revoke/", {"reason": "Error"})
    issued.refresh_from_db()
    assert issued.revoked_at is not None and issued.revocation_reason == "Error"
    assert StatusList.objects.get(pk=issued.status_list_id).is_set(issued.status_index)


def test_the_record_lists_awards_and_the_shared_json_carries_them(
    issued, client, django_assert_max_num_queries
):
    from certificates.services.cpd_records import set_cpd_record_sharing

    client.force_login(issued.user)
    page = client.get("/learning/record/")
    body = page.content.decode()
    assert "Teaching Excellence Award" in body
    assert "Make the page public" in body
    urdu = client.get("/ur/learning/record/").content.decode()
    assert "تدریسی فضیلت ایوارڈ" in urdu

    link = set_cpd_record_sharing(issued.user, shared=True)
    client.logout()
    shared = client.get(f"/record/{link.token}/").content.decode()
    assert "Teaching Excellence Award" in shared
    assert "Make the page public" not in shared  # the switch is hers alone
    assert f"/awards/{issued.public_id}/" not in shared  # no consent yet
    presentation = json.loads(client.get(f"/record/{link.token}.json").content)
    kinds = [
        c["credentialSubject"]["achievement"]["achievementType"]
        for c in presentation["verifiableCredential"]
    ]
    assert kinds == ["Award"]


def test_the_record_reads_awards_in_one_query_however_many(
    award, manager, teacher, programme, django_assert_num_queries
):
    from certificates.services.cpd_records import cpd_record

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            record = cpd_record(teacher)
        return len(captured), len(record.awards)

    services.issue_award(award, teacher, actor=manager)
    one = count_queries()
    for year in (2024, 2025):
        more = Award.objects.create(
            name_en=f"Leadership Award {year}",
            name_ur="قیادت ایوارڈ",
            description_en="x",
            description_ur="x",
            level="provincial",
            category="leadership",
            year=year,
            programme=programme,
        )
        services.issue_award(more, teacher, actor=manager)
    three = count_queries()
    assert one[1] == 1 and three[1] == 3
    assert one[0] == three[0]


def test_groups_hold_what_the_readme_says(db):
    coordinators = Group.objects.get(name=accounts.COORDINATORS_GROUP)
    assert not coordinators.permissions.filter(content_type__app_label="awards")


def test_the_photo_shows_on_the_public_page_with_the_teachers_name(
    award, teacher, manager, client
):
    import io

    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    from courses.tests.packages_builders import png_bytes

    photo = get_image_model().objects.create(
        title="Ayesha at the ceremony",
        file=ImageFile(io.BytesIO(png_bytes()), name="ayesha.png"),
    )
    issued = services.issue_award(award, teacher, actor=manager, photo=photo)
    public_id = issued.issued_award.public_id
    services.set_award_page_consent(teacher, public_id, consented=True)
    body = client.get(f"/awards/{public_id}/").content.decode()
    image = body.split('class="recognition-photo"', 1)[0].rsplit("<img", 1)[1]
    image += body.split('class="recognition-photo"', 1)[1].split(">", 1)[0]
    assert 'alt="Ayesha Bibi"' in image
