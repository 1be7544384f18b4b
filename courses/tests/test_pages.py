import pytest
from django.contrib.auth.models import Group

from courses import authoring, services
from courses.models import LessonProgress, ProgrammePage

from .conftest import page_queries


@pytest.mark.django_db
def test_pages_issue_the_same_number_of_queries_for_3_and_50_lessons(
    client, make_learner, make_course
):
    counts = {}
    for lesson_count in (3, 50):
        learner = make_learner()
        course = make_course(lessons=lesson_count)
        other = make_course(lessons=lesson_count)
        for enrolled in (course, other):
            services.enrol(learner, enrolled)
            for lesson in list(enrolled.lessons())[:2]:
                services.record_lesson_complete(learner, lesson.pk)
        client.force_login(learner)
        lesson = list(course.lessons())[1]
        counts[lesson_count] = {
            "catalogue": page_queries(client, "/courses/"),
            "course": page_queries(client, course.url),
            "lesson": page_queries(client, lesson.url),
            "dashboard": page_queries(client, "/learning/"),
        }
    assert counts[3] == counts[50]
    # And they stay small in absolute terms.
    assert max(counts[50].values()) <= 20, counts


@pytest.mark.django_db
def test_lessons_need_enrolment(client, make_learner, make_course):
    course = make_course()
    lesson = course.lessons()[0]
    anonymous = client.get(lesson.url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    client.force_login(make_learner())
    not_enrolled = client.get(lesson.url)
    assert not_enrolled.status_code == 302 and not_enrolled.url == course.url
    # The course overview is public.
    assert client.get(course.url).status_code == 200


@pytest.mark.django_db
def test_open_lessons_can_be_read_without_enrolling(client, make_course):
    course = make_course(open_lessons=True)
    response = client.get(course.lessons()[0].url)
    assert response.status_code == 200
    assert "Mark complete" not in response.content.decode()


@pytest.mark.django_db
def test_complete_button_records_progress_and_goes_on(
    client, make_learner, make_course
):
    learner, course = make_learner(), make_course()
    lessons = list(course.lessons())
    client.force_login(learner)
    client.post(f"/learning/enrol/{course.pk}/")
    response = client.post(f"/learning/lessons/{lessons[0].pk}/complete/")
    assert response.status_code == 302 and response.url == lessons[1].url
    assert LessonProgress.objects.filter(user=learner).count() == 1


@pytest.mark.django_db
def test_bad_completion_requests_change_nothing(client, make_learner, make_course):
    learner, course = make_learner(), make_course()
    client.force_login(learner)
    lesson = course.lessons()[0]
    not_enrolled = client.post(f"/learning/lessons/{lesson.pk}/complete/")
    assert not_enrolled.status_code == 403
    assert "Enrol in the course first" in not_enrolled.content.decode()
    client.post(f"/learning/enrol/{course.pk}/")
    forged = client.post("/learning/lessons/99999/complete/")
    assert forged.status_code == 404
    assert client.get(f"/learning/lessons/{lesson.pk}/complete/").status_code == 405
    assert not LessonProgress.objects.exists()


@pytest.mark.django_db
def test_anonymous_cannot_enrol_or_complete(client, make_course):
    course = make_course()
    response = client.post(f"/learning/enrol/{course.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
    response = client.post(f"/learning/lessons/{course.lessons()[0].pk}/complete/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.django_db
def test_learners_see_only_their_own_progress(client, make_learner, make_course):
    course = make_course()
    alice, bob = make_learner(), make_learner()
    services.enrol(alice, course)
    for lesson in course.lessons():
        services.record_lesson_complete(alice, lesson.pk)
    client.force_login(bob)
    dashboard = client.get("/learning/").content.decode()
    assert course.title not in dashboard
    overview = client.get(course.url).content.decode()
    assert "lessons complete" not in overview
    assert "✓" not in overview
    lesson_page = client.get(course.lessons()[0].url)
    assert lesson_page.status_code == 302


@pytest.mark.django_db
def test_dashboard_shows_completed_course_with_cpd_hours(
    client, make_learner, make_course
):
    learner, course = make_learner(), make_course(lessons=2)
    services.enrol(learner, course)
    for lesson in course.lessons():
        services.record_lesson_complete(learner, lesson.pk)
    client.force_login(learner)
    html = client.get("/learning/").content.decode()
    assert "6 CPD hours" in html
    assert 'id="cpd-total">6<' in html


@pytest.mark.django_db
def test_catalogue_filters_and_urdu_search(client, make_course, home_page):
    make_course(title="Classroom management", level="introductory")
    make_course(title="Assessment", level="advanced")
    urdu = make_course(title="کتاب خوانی", level="introductory")
    html = client.get("/courses/?level=advanced").content.decode()
    assert "Assessment" in html and "Classroom management" not in html
    # Typed with Arabic kaf (U+0643); the course uses Urdu keheh (U+06A9).
    html = client.get("/courses/", {"q": "كتاب"}).content.decode()
    assert urdu.title in html and "Assessment" not in html
    html = client.get("/courses/", {"q": "zzzz-nothing"}).content.decode()
    assert "No course matches" in html


@pytest.mark.django_db
def test_trainers_edit_only_their_programme(client, home_page, make_learner):
    nttp = authoring.create_programme(
        home_page, "NTTP", "nttp", audience=ProgrammePage.Audience.TEACHERS
    )
    lecturers = authoring.create_programme(
        home_page, "Lecturers", "lpd", audience=ProgrammePage.Audience.LECTURERS
    )
    group = Group.objects.create(name="NTTP trainers")
    authoring.grant_programme_to_group(nttp, group)
    trainer = make_learner()
    trainer.groups.add(group, Group.objects.get(name="Trainers"))
    trainer.is_staff = True
    trainer.save()
    client.force_login(trainer)
    assert client.get(f"/admin/pages/{nttp.pk}/edit/").status_code == 200
    refused = client.get(f"/admin/pages/{lecturers.pk}/edit/")
    assert refused.status_code in (302, 403)
    assert nttp.permissions_for_user(trainer).can_edit()
    assert not lecturers.permissions_for_user(trainer).can_edit()


@pytest.mark.django_db
def test_publishing_goes_through_reviewer_workflow(home_page, make_course):
    reviewers = Group.objects.get(name="Reviewers")
    workflow = authoring.ensure_review_workflow(home_page, reviewers)
    course = make_course()
    assert course.get_workflow() == workflow
    task = workflow.tasks.get().specific
    assert list(task.groups.all()) == [reviewers]


@pytest.mark.django_db
def test_listing_pages_issue_the_same_number_of_queries_for_1_and_6_courses(
    client, make_course
):
    first = make_course(lessons=1)
    programme = first.get_parent().specific
    pages = ["/", "/courses/", programme.url]
    before = {path: page_queries(client, path) for path in pages}
    for _ in range(5):
        make_course(lessons=1)
    after = {path: page_queries(client, path) for path in pages}
    assert before == after


@pytest.mark.django_db
def test_home_page_shows_the_first_courses_of_a_programme_and_links_to_all(
    client, make_course
):
    from courses.models import ProgrammePage

    limit = ProgrammePage.HOME_COURSES_PER_PROGRAMME
    courses = [make_course(lessons=1) for _ in range(limit + 2)]
    html = client.get("/").content.decode()
    shown = [course for course in courses if f'href="{course.url}"' in html]
    assert shown == courses[:limit]
    assert f"See all {limit + 2} courses of this programme" in html
