from urllib.parse import parse_qs, urlparse

import pytest

from certificates.models import Certificate

pytestmark = pytest.mark.django_db


def test_dashboard_offers_pdf_link_linkedin_and_check_count(client, issued, settings):
    client.force_login(issued.user)
    html = client.get("/learning/").content.decode()
    code = issued.verification_code
    assert f'href="/verify/{code}.pdf"' in html
    assert f'value="{settings.SITE_URL}/verify/{code}/"' in html
    assert "linkedin.com/profile/add?" in html
    assert "Checked 0 times by employers" in html


def test_linkedin_link_names_course_organisation_date_id_and_url(issued, settings):
    from certificates.sharing import linkedin_add_url

    url = urlparse(linkedin_add_url(issued))
    params = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert url.netloc == "www.linkedin.com"
    assert params["startTask"] == "CERTIFICATION_NAME"
    assert params["name"] == issued.course_title_en
    assert params["organizationName"] == "Alliance Teachers Forum"
    assert params["issueYear"] == str(issued.issued_on.year)
    assert params["issueMonth"] == str(issued.issued_on.month)
    assert params["certId"] == issued.verification_code
    assert (
        params["certUrl"] == f"{settings.SITE_URL}/verify/{issued.verification_code}/"
    )


def test_dashboard_queries_do_not_grow_with_certificates(
    client, make_learner, make_course, complete_course, django_assert_max_num_queries
):
    learner = make_learner()
    complete_course(learner, make_course(lessons=1))
    client.force_login(learner)
    client.get("/learning/")  # warm the site cache
    # Session, user, enrolments, their courses, progress, attempts, cohort
    # deadlines, event places and their sessions (the personal check-in code
    # and join links), certificates and the site.
    with django_assert_max_num_queries(11) as one:
        client.get("/learning/")
    for _ in range(4):
        complete_course(learner, make_course(lessons=1))
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get("/learning/").content.decode()
    assert html.count("linkedin.com/profile/add") == 5


def test_my_certificates_lists_only_my_own(client, issued, make_learner):
    other = make_learner(email="other@example.org")
    client.force_login(other)
    html = client.get("/learning/certificates/").content.decode()
    assert issued.verification_code not in html
    assert "You have no certificates yet" in html
    client.force_login(issued.user)
    assert (
        issued.verification_code
        in client.get("/learning/certificates/").content.decode()
    )


def test_my_certificates_needs_a_login(client, db):
    response = client.get("/learning/certificates/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_replaced_certificates_are_listed_as_replaced(client, issued, make_learner):
    from certificates import services

    manager = make_learner(email="manager@example.org")
    new = services.reissue_certificate(
        issued,
        actor=manager,
        holder_name_en="M. A. Khan",
        holder_name_ur="",
        reason="x",
    )
    client.force_login(issued.user)
    html = client.get("/learning/certificates/").content.decode()
    assert html.index(new.verification_code) < html.index(issued.verification_code)
    assert "Replaced by a newer certificate" in html
    assert Certificate.objects.filter(user=issued.user).count() == 2
