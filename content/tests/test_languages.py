"""Content languages: Urdu, Sindhi, Pashto and Punjabi pages, fonts and switcher."""

import io
import shutil

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from courses import authoring
from languages import served as languages


@pytest.mark.parametrize(
    ("code", "name_local"),
    [("ur", "اردو"), ("sd", "سنڌي"), ("ps", "پښتو"), ("pnb", "پنجابی")],
)
def test_every_content_language_is_known_and_right_to_left(code, name_local):
    info = translation.get_language_info(code)
    assert info["name_local"] == name_local and info["bidi"] is True
    with translation.override(code):
        assert translation.get_language_bidi()
    assert code in dict(settings.WAGTAIL_CONTENT_LANGUAGES)


def test_english_is_left_to_right_and_punjabi_is_not_gurmukhi():
    with translation.override("en"):
        assert not translation.get_language_bidi()
    assert translation.get_language_info("pnb")["name"] == "Punjabi (Shahmukhi)"


@pytest.mark.parametrize(
    ("code", "stylesheet"),
    [
        ("en", ""),
        ("ur", "css/nastaliq.css"),
        ("pnb", "css/nastaliq.css"),
        ("sd", "css/naskh.css"),
        ("ps", "css/naskh.css"),
    ],
)
def test_each_language_gets_its_scripts_font(code, stylesheet):
    assert languages.script_stylesheet(code) == stylesheet


@pytest.fixture
def lesson_in(make_course):
    """An open English lesson with translations into the given languages."""

    def make(*codes):
        course = make_course(lessons=1, open_lessons=True)
        lesson = course.lessons()[0]
        pages = {"en": lesson}
        for code in codes:
            authoring.translate_page(course, code)
            pages[code] = authoring.translate_page(
                lesson, code, title=f"Lesson in {code}"
            )
        return pages

    return make


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "stylesheet", "other_stylesheet"),
    [
        ("sd", "css/naskh.css", "css/nastaliq.css"),
        ("ps", "css/naskh.css", "css/nastaliq.css"),
        ("pnb", "css/nastaliq.css", "css/naskh.css"),
        ("ur", "css/nastaliq.css", "css/naskh.css"),
    ],
)
def test_lesson_pages_in_each_language_are_rtl_with_one_font(
    client, lesson_in, code, stylesheet, other_stylesheet
):
    lesson = lesson_in(code)[code]
    assert lesson.url.startswith(f"/{code}/")
    response = client.get(lesson.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{code}" dir="rtl">' in html
    assert f"Lesson in {code}" in html
    assert stylesheet in html and other_stylesheet not in html


@pytest.mark.django_db
def test_english_pages_load_no_web_font(client, lesson_in):
    html = client.get(lesson_in()["en"].url).content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "nastaliq.css" not in html and "naskh.css" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["sd", "ps", "pnb"])
def test_local_language_pages_speak_urdu_not_english(client, lesson_in, code):
    html = client.get(lesson_in(code)[code].url).content.decode()
    with translation.override("ur"):
        in_urdu = translation.gettext("Courses")
    assert in_urdu != "Courses"
    assert f">{in_urdu}</a>" in html
    assert ">Courses</a>" not in html


@pytest.mark.django_db
def test_switcher_offers_interface_languages_and_real_translations(client, lesson_in):
    pages = lesson_in("sd")
    html = client.get(pages["en"].url).content.decode()
    # Urdu is always offered; Sindhi only because this lesson has a Sindhi page.
    assert 'value="ur"' in html
    assert f'href="{pages["sd"].url}" lang="sd"' in html
    assert 'lang="ps"' not in html and 'lang="pnb"' not in html

    html = client.get(pages["sd"].url).content.decode()
    assert 'value="en"' in html and 'value="ur"' in html
    assert 'hreflang="sd"' not in html  # not the page's own language

    # Pages that are not content pages offer the interface languages only.
    html = client.get("/courses/").content.decode()
    assert 'value="ur"' in html and "hreflang" not in html


@pytest.mark.django_db
def test_an_untranslated_page_is_not_served_under_a_local_language(client, lesson_in):
    pages = lesson_in("sd")
    english_only = lesson_in()["en"]
    assert client.get(pages["sd"].url).status_code == 200
    response = client.get(f"/ps{pages['en'].url}")
    assert response.status_code == 404
    response = client.get(f"/sd{english_only.url}")
    assert response.status_code == 404


@pytest.mark.parametrize("command", ["compile_translations", "compilemessages"])
def test_compile_translations_gives_local_languages_the_urdu_catalogue(
    settings, tmp_path, command
):
    urdu = tmp_path / "ur" / "LC_MESSAGES"
    urdu.mkdir(parents=True)
    shutil.copy(
        settings.BASE_DIR / "lms/locale/ur/LC_MESSAGES/django.po", urdu / "django.po"
    )
    pashto = tmp_path / "ps" / "LC_MESSAGES"
    pashto.mkdir(parents=True)
    own = polib.POFile()
    own.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ps"}
    own.append(polib.POEntry(msgid="Courses", msgstr="کورسونه"))
    own.save(str(pashto / "django.po"))
    settings.LOCALE_PATHS = [tmp_path]

    # Django's usual name runs the same command, with its usual options.
    arguments = ["--locale", "ur"] if command == "compilemessages" else []
    call_command(command, *arguments, stdout=io.StringIO())

    sindhi = polib.mofile(str(tmp_path / "sd/LC_MESSAGES/django.mo"))
    urdu_messages = polib.pofile(str(urdu / "django.po"))
    assert sindhi.find("Courses").msgstr == urdu_messages.find("Courses").msgstr
    assert sindhi.metadata["Language"] == "sd"
    assert (tmp_path / "pnb/LC_MESSAGES/django.mo").exists()
    # Django's own Urdu (month names, form errors) comes too; ours wins.
    assert sindhi.find("November").msgstr == "نومبر"
    assert sindhi.find("This field is required.").msgstr
    assert [entry.msgid for entry in sindhi].count("Courses") == 1
    # A language with its own catalogue keeps it.
    assert polib.mofile(str(pashto / "django.mo")).find("Courses").msgstr == ("کورسونه")


@pytest.mark.parametrize("language", ["sd", "ps", "pnb"])
def test_local_language_pages_write_dates_with_urdu_month_names(language):
    import datetime

    from django.utils import dateformat, translation

    with translation.override(language):
        assert dateformat.format(datetime.date(2026, 11, 26), "j F Y") == (
            "26 نومبر 2026"
        )
        djangos = "This field is required."  # a variable: not one of our messages
        assert translation.gettext(djangos) != djangos
