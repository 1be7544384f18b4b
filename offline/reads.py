"""What a phone downloads to take a course offline: the course's offline manifest.

The manifest lists every address the saved course needs (its page, lessons,
quiz, the smallest image rendition each image offers, the stylesheets, font and
scripts the pages load) with its size, so the learner sees the download size
before anything is fetched, and a version per lesson so the phone can tell when
a lesson changed on the server ("update available").
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse

from courses.models import CoursePage, Enrolment
from courses.quizzes.reads import course_assessments

CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


class _PageAssets(HTMLParser):
    """Stylesheets, scripts and the smallest candidate of each image of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link" and values.get("rel") == "stylesheet":
            self.urls.append(values.get("href", ""))
        elif tag == "script" and values.get("src"):
            self.urls.append(values["src"])
        elif tag == "img":
            self.urls.append(_smallest_candidate(values))


def _smallest_candidate(img: dict[str, str]) -> str:
    candidates = []
    for part in img.get("srcset", "").split(","):
        bits = part.split()
        if len(bits) == 2 and bits[1].endswith("w") and bits[1][:-1].isdigit():
            candidates.append((int(bits[1][:-1]), bits[0]))
    return min(candidates)[1] if candidates else img.get("src", "")


def file_size(url: str) -> int | None:
    """Bytes of a static file or an uploaded file at ``url``; None when unknown."""
    path = url.split("?")[0]
    if path.startswith(settings.STATIC_URL):
        name = path[len(settings.STATIC_URL) :]
        try:
            if staticfiles_storage.exists(name):
                return staticfiles_storage.size(name)
        except (OSError, ValueError):
            pass
        found = finders.find(name)
        return os.path.getsize(found) if isinstance(found, str) else None
    if path.startswith(settings.MEDIA_URL):
        name = path[len(settings.MEDIA_URL) :]
        try:
            return default_storage.size(name)
        except (OSError, NotImplementedError):
            return None
    return None


def _stylesheet_urls(url: str) -> list[str]:
    """Fonts a stylesheet of ours loads (only its woff2 faces)."""
    path = url.split("?")[0]
    if not path.startswith(settings.STATIC_URL):
        return []
    name = path[len(settings.STATIC_URL) :]
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as stylesheet:
            text = stylesheet.read().decode()
    else:
        found = finders.find(name)
        if not isinstance(found, str):
            return []
        with open(found, encoding="utf-8") as stylesheet:
            text = stylesheet.read()
    return [
        urljoin(url, match)
        for match in CSS_URL.findall(text)
        if match.endswith(".woff2")
    ]


@dataclass
class _Files:
    entries: dict[str, dict[str, Any]]

    def add(self, url: str, kind: str, size: int | None, **extra: Any) -> None:
        if url and url not in self.entries:
            self.entries[url] = {"url": url, "kind": kind, "bytes": size or 0, **extra}


def is_enrolled(user: Any, course: CoursePage) -> bool:
    return Enrolment.objects.filter(user=user, course=course).exists()


def lesson_versions(course: CoursePage) -> dict[str, Any]:
    """Only the lessons and their versions: what a phone that saved the course
    checks for "update available", without rendering any page."""
    return {
        "lessons": [
            {"id": lesson.pk, "title": lesson.title, "version": lesson.live_revision_id}
            for lesson in course.lessons()
        ]
    }


def course_offline_manifest(request: HttpRequest, course: CoursePage) -> dict[str, Any]:
    """The offline manifest of ``course`` for the signed-in learner.

    Lesson pages are rendered as the learner would get them, to measure them
    and to find the images, stylesheets and scripts they load.
    """
    files = _Files({})
    course_response = course.serve(request)
    course_response.render()
    course_url = course.get_url(request)
    files.add(
        course_url,
        "page",
        len(course_response.content),
        version=course.live_revision_id,
    )
    _add_assets(files, course_response.content.decode())
    lessons = []
    for lesson in course.lessons():
        response = lesson.serve(request)
        if hasattr(response, "render"):
            response.render()
        if response.status_code != 200:
            continue
        url = lesson.get_url(request)
        version = lesson.live_revision_id
        files.add(
            url, "lesson", len(response.content), version=version, lesson=lesson.pk
        )
        lessons.append(
            {"id": lesson.pk, "title": lesson.title, "url": url, "version": version}
        )
        _add_assets(files, response.content.decode())
    quizzes = []
    for status in course_assessments(request.user, course):
        quiz = status.quiz
        timed = bool(quiz.time_limit_minutes)
        available = (
            status.enrolled
            and not timed
            and not status.passed
            and (status.open_attempt is not None or status.can_start)
        )
        quizzes.append(
            {
                "id": quiz.pk,
                "title": status.title,
                "url": reverse("courses:quiz", kwargs={"quiz_id": quiz.pk}),
                "start_url": reverse("courses:quiz_start", kwargs={"quiz_id": quiz.pk}),
                "prepare_url": reverse(
                    "offline:prepare_quiz", kwargs={"quiz_id": quiz.pk}
                ),
                "offline": available,
                "timed": timed,
            }
        )
    if any(quiz["offline"] for quiz in quizzes):
        # The attempt page is fetched when the quiz is prepared; its script too.
        autosave = static("courses/js/quiz-autosave.js")
        files.add(autosave, "script", file_size(autosave))
    entries = list(files.entries.values())
    return {
        "course": {
            "id": course.pk,
            "title": course.title,
            "url": course_url,
            "language": course.locale.language_code,
        },
        "lessons": lessons,
        "quizzes": quizzes,
        "files": entries,
        "total_bytes": sum(entry["bytes"] for entry in entries),
    }


def _add_assets(files: _Files, html: str) -> None:
    parser = _PageAssets()
    parser.feed(html)
    for url in parser.urls:
        if not url or url.startswith(("data:", "http:", "https:", "//")):
            continue
        if url.endswith(".css"):
            files.add(url, "style", file_size(url))
            for font in _stylesheet_urls(url):
                files.add(font, "font", file_size(font))
        elif url.split("?")[0].endswith(".js"):
            files.add(url, "script", file_size(url))
        else:
            files.add(url, "image", file_size(url))
