import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services
from courses.completion import _requirement_checks, register_requirement_check
from courses.learning import course_outline
from courses.models import Enrolment, LessonProgress
from courses.signals import course_completed


@pytest.fixture
def completions():
    fired = []

    def receiver(sender, enrolment, **kwargs):
        fired.append(enrolment.pk)

    course_completed.connect(receiver)
    yield fired
    course_completed.disconnect(receiver)


@pytest.mark.django_db
def test_enrol_is_idempotent(make_learner, make_course):
    learner, course = make_learner(), make_course()
    first = services.enrol(learner, course)
    assert services.enrol(learner, course).pk == first.pk
    assert Enrolment.objects.filter(user=learner).count() == 1


@pytest.mark.django_db
def test_enrol_refuses_unpublished_course(make_learner, make_course):
    learner, course = make_learner(), make_course()
    course.unpublish()
    with pytest.raises(services.CourseNotAvailable):
        services.enrol(learner, course)
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_enrol_needs_prerequisites_completed(make_learner, make_course):
    learner = make_learner()
    basics = make_course(lessons=1, title="Basics")
    advanced = make_course(lessons=1)
    advanced.prerequisites.add(basics)
    advanced.save_revision().publish()
    with pytest.raises(services.PrerequisitesNotMet, match="Basics"):
        services.enrol(learner, advanced)
    services.enrol(learner, basics)
    services.record_lesson_complete(learner, basics.lessons()[0].pk)
    assert services.enrol(learner, advanced).course_id == advanced.pk


@pytest.mark.django_db
def test_lessons_complete_in_order_and_course_completes_once(
    make_learner, make_course, completions
):
    learner, course = make_learner(), make_course(lessons=3)
    lessons = list(course.lessons())
    services.enrol(learner, course)

    first = services.record_lesson_complete(learner, lessons[0].pk)
    assert first.newly_completed and first.next_lesson.pk == lessons[1].pk
    assert not first.course_completed_now
    services.record_lesson_complete(learner, lessons[1].pk)
    last = services.record_lesson_complete(learner, lessons[2].pk)

    assert last.course_completed_now and last.next_lesson is None
    assert completions == [last.enrolment.pk]
    again = services.record_lesson_complete(learner, lessons[2].pk)
    assert not again.newly_completed and not again.course_completed_now
    assert completions == [last.enrolment.pk]
    assert LessonProgress.objects.filter(user=learner).count() == 3


@pytest.mark.django_db
def test_optional_lessons_are_not_needed_unless_the_rule_says_all(
    make_learner, make_course
):
    learner, course = make_learner(), make_course(lessons=2)
    optional = course.lessons()[1]
    optional.required = False
    optional.save_revision().publish()
    services.enrol(learner, course)
    result = services.record_lesson_complete(learner, course.lessons()[0].pk)
    assert result.course_completed_now


@pytest.mark.django_db
def test_unmet_assessment_holds_completion_back(make_learner, make_course):
    learner, course = make_learner(), make_course(lessons=1)
    passed = {"value": False}

    def quiz_check(user, checked_course):
        return [] if passed["value"] else ["Final quiz"]

    register_requirement_check(quiz_check)
    try:
        services.enrol(learner, course)
        result = services.record_lesson_complete(learner, course.lessons()[0].pk)
        assert not result.course_completed_now
        passed["value"] = True
        assert services.check_course_completion(learner, course)
        assert not services.check_course_completion(learner, course)
    finally:
        _requirement_checks.remove(quiz_check)


@pytest.mark.django_db
def test_completing_without_enrolment_changes_nothing(make_learner, make_course):
    learner, course = make_learner(), make_course()
    with pytest.raises(services.NotEnrolled):
        services.record_lesson_complete(learner, course.lessons()[0].pk)
    assert not LessonProgress.objects.exists()


@pytest.mark.django_db
def test_forged_and_unpublished_lessons_are_refused(make_learner, make_course):
    learner, course = make_learner(), make_course()
    services.enrol(learner, course)
    with pytest.raises(services.LessonNotAvailable):
        services.record_lesson_complete(learner, 987654)
    lesson = course.lessons()[0]
    lesson.unpublish()
    with pytest.raises(services.LessonNotAvailable):
        services.record_lesson_complete(learner, lesson.pk)
    # A page id that is not a lesson (the course itself) is refused too.
    with pytest.raises(services.LessonNotAvailable):
        services.record_lesson_complete(learner, course.pk)
    assert not LessonProgress.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("lesson_count", [3, 50])
def test_outline_query_count_does_not_grow_with_lessons(
    make_learner, make_course, lesson_count
):
    learner, course = make_learner(), make_course(lessons=lesson_count)
    services.enrol(learner, course)
    for lesson in list(course.lessons())[: lesson_count // 2]:
        services.record_lesson_complete(learner, lesson.pk)
    with CaptureQueriesContext(connection) as queries:
        outline = course_outline(learner, course)
    assert len(outline["outline"]) == lesson_count
    assert outline["resume_lesson"].title == f"Lesson {lesson_count // 2 + 1}"
    assert len(queries) <= 4
