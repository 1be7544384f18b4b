"""Translating a course English → Urdu through wagtail-localize's own machinery."""

import pytest
from wagtail_localize.models import StringSegment, StringTranslation

from courses import authoring, translation
from courses.models import CoursePage, LessonPage
from courses.translation import TranslationStatus

URDU = {
    "Course 1": "کورس ۱",
    "A course for the tests.": "ٹیسٹ کے لیے ایک کورس۔",
    "Lesson 1": "سبق ۱",
    "Lesson 2": "سبق ۲",
    "Text of lesson 1.": "پہلے سبق کا متن۔",
    "Text of lesson 2.": "دوسرے سبق کا متن۔",
    "A course that was rewritten.": "ایک کورس جو دوبارہ لکھا گیا۔",
}


def translate_every_string(page_translation):
    """What a translator does in the side-by-side editor, string by string."""
    segments = StringSegment.objects.filter(
        source=page_translation.source
    ).select_related("string", "context")
    for segment in segments:
        if segment.context.path == "slug":
            data = segment.string.data
        else:
            data = URDU[segment.string.data]
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=page_translation.target_locale,
            context=segment.context,
            defaults={"data": data},
        )


@pytest.fixture
def english_course(make_course):
    course = make_course(lessons=2)
    authoring.translate_page(course.get_parent(), "ur", title="ٹیسٹ پروگرام")
    return course


def statuses(course):
    return [
        item.status for item in translation.course_translation_statuses(course, "ur")
    ]


@pytest.mark.django_db
def test_course_translated_to_urdu_goes_out_of_date_and_is_synced(
    english_course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        translations = translation.start_translation(english_course, "ur")
    assert len(translations) == 3  # the course and its two lessons
    assert statuses(english_course) == [TranslationStatus.INCOMPLETE] * 3
    # Drafts until translated: nothing in Urdu is live yet.
    assert not CoursePage.objects.live().filter(locale__language_code="ur").exists()

    for page_translation in translations:
        translate_every_string(page_translation)
        with django_capture_on_commit_callbacks(execute=True):
            translation.publish_translation(page_translation)
    urdu_course = CoursePage.objects.get(
        locale__language_code="ur", translation_key=english_course.translation_key
    )
    assert urdu_course.live and urdu_course.title == "کورس ۱"
    assert urdu_course.summary == "ٹیسٹ کے لیے ایک کورس۔"
    urdu_lesson = LessonPage.objects.get(locale__language_code="ur", title="سبق ۱")
    assert urdu_lesson.live
    assert "پہلے سبق کا متن۔" in urdu_lesson.body[0].value.source
    assert statuses(english_course) == [TranslationStatus.CURRENT] * 3

    # The trainer rewrites the English summary and publishes it.
    english_course.summary = "A course that was rewritten."
    english_course.save_revision().publish()
    assert statuses(english_course) == [
        TranslationStatus.OUT_OF_DATE,
        TranslationStatus.CURRENT,
        TranslationStatus.CURRENT,
    ]

    with django_capture_on_commit_callbacks(execute=True):
        assert translation.sync_translations(english_course) == 2
    # The new sentence is now waiting for its translator; the live Urdu page
    # keeps its old text meanwhile.
    assert statuses(english_course)[0] == TranslationStatus.INCOMPLETE
    urdu_course.refresh_from_db()
    assert urdu_course.live and urdu_course.summary == "ٹیسٹ کے لیے ایک کورس۔"

    translate_every_string(translations[0])
    with django_capture_on_commit_callbacks(execute=True):
        translation.publish_translation(translations[0])
    urdu_course.refresh_from_db()
    assert urdu_course.summary == "ایک کورس جو دوبارہ لکھا گیا۔"
    assert statuses(english_course) == [TranslationStatus.CURRENT] * 3


@pytest.mark.django_db
def test_changing_a_synchronised_field_is_out_of_date_until_synced(
    english_course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        translations = translation.start_translation(english_course, "ur")
        for page_translation in translations:
            translate_every_string(page_translation)
            translation.publish_translation(page_translation)
    english_course.cpd_hours = 9
    english_course.save_revision().publish()
    assert statuses(english_course)[0] == TranslationStatus.OUT_OF_DATE

    with django_capture_on_commit_callbacks(execute=True):
        translation.sync_translations(english_course)
    assert statuses(english_course) == [TranslationStatus.CURRENT] * 3
    urdu_course = CoursePage.objects.get(
        locale__language_code="ur", translation_key=english_course.translation_key
    )
    assert urdu_course.cpd_hours == 9


@pytest.mark.django_db
def test_an_unfinished_translation_cannot_be_published(english_course):
    course_translation = translation.start_translation(english_course, "ur")[0]
    with pytest.raises(translation.TranslationIncomplete) as refused:
        translation.publish_translation(course_translation)
    # Title, slug and summary.
    assert refused.value.message == "3 strings are not translated yet."
    assert not CoursePage.objects.live().filter(locale__language_code="ur").exists()
