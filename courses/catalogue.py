"""Finding courses: filters, languages, and a search that matches Urdu however typed.

A course and its translations share a ``translation_key``; the catalogue lists each
course once, in the reader's page language when a live translation exists and in
its source language otherwise, and names every language it can be read in. A
course shown in another language says so (``in_page_language`` is False), so an
untranslated course never passes for a translated one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from languages.served import local_name
from languages.text import normalise_for_matching

from .models import CoursePage, LessonPage, ProgrammePage

COURSES_PER_PAGE = 20


@dataclass
class CatalogueFilters:
    programme: int | None = None
    language: str = ""
    level: str = ""
    query: str = ""


@dataclass
class _CourseVersions:
    """The live versions of one course, keyed by language code."""

    source_pk: int
    source_path: str
    pk_by_language: dict[str, int] = field(default_factory=dict)


def catalogue(
    filters: CatalogueFilters, page_number: str | int = 1, language: str = "en"
) -> Page:
    """One page of courses for a reader of ``language``: four queries at most,
    plus the search's own when there is a query."""
    groups = _course_versions(_filtered_courses(filters))
    if filters.language:
        groups = [g for g in groups if filters.language in g.pk_by_language]
    shown_language = filters.language or language
    paginator = Paginator(groups, COURSES_PER_PAGE)
    page = paginator.get_page(page_number)
    chosen = [
        group.pk_by_language.get(shown_language, group.source_pk)
        for group in page.object_list
    ]
    by_pk = CoursePage.objects.select_related("cover_image", "locale").in_bulk(chosen)
    courses = []
    for group, pk in zip(page.object_list, chosen, strict=True):
        course = by_pk[pk]
        course.available_languages = [
            (code, local_name(code)) for code in sorted(group.pk_by_language)
        ]
        course.in_page_language = course.locale.language_code == language
        courses.append(course)
    programmes = {
        programme.path: programme
        for programme in ProgrammePage.objects.filter(
            path__in={course.path[: -course.steplen] for course in courses}
        )
    }
    for course in courses:
        course.programme_page = programmes.get(course.path[: -course.steplen])
    page.object_list = courses
    return page


def programme_choices(language: str) -> list[ProgrammePage]:
    """Each live programme once, in ``language`` when translated: one query."""
    source_paths: dict[UUID, str] = {}
    chosen: dict[UUID, ProgrammePage] = {}
    programmes = ProgrammePage.objects.live().public().select_related("locale")
    for programme in programmes.order_by("pk"):
        key = programme.translation_key
        source_paths.setdefault(key, programme.path)
        if key not in chosen or programme.locale.language_code == language:
            chosen[key] = programme
    return sorted(chosen.values(), key=lambda p: source_paths[p.translation_key])


def _filtered_courses(filters: CatalogueFilters) -> QuerySet[CoursePage]:
    courses = CoursePage.objects.live().public()
    if filters.programme:
        # The programme in any of its languages: its courses in every language.
        paths = list(
            ProgrammePage.objects.filter(
                translation_key__in=ProgrammePage.objects.filter(
                    pk=filters.programme
                ).values("translation_key")
            ).values_list("path", flat=True)
        )
        if not paths:
            return courses.none()
        courses = courses.filter(
            reduce(or_, (Q(path__startswith=path) for path in paths))
        )
    if filters.level:
        courses = courses.filter(level=filters.level)
    if filters.query.strip():
        courses = courses.filter(
            translation_key__in=CoursePage.objects.filter(
                pk__in=_matching_course_ids(filters.query)
            ).values("translation_key")
        )
    return courses


def _course_versions(courses: QuerySet[CoursePage]) -> list[_CourseVersions]:
    """Group live courses by translation, in the tree order of their source.

    The source is the version made first (lowest id): a translation is always a
    copy of a page that already exists.
    """
    groups: dict[UUID, _CourseVersions] = {}
    rows = courses.order_by("pk").values_list(
        "pk", "translation_key", "locale__language_code", "path"
    )
    for pk, key, language_code, path in rows:
        group = groups.setdefault(key, _CourseVersions(source_pk=pk, source_path=path))
        group.pk_by_language.setdefault(language_code, pk)
    return sorted(groups.values(), key=lambda group: group.source_path)


def _matching_course_ids(query: str) -> list[int]:
    """Courses whose own text or any lesson's text matches the query.

    Text is indexed in normalised form (see ``search_text`` on the pages), so the
    query is normalised the same way: "كتاب" typed with Arabic kaf finds "کتاب".
    """
    normalised = normalise_for_matching(query)
    course_ids = {course.pk for course in CoursePage.objects.live().search(normalised)}
    step = CoursePage.steplen
    ancestor_paths = {
        lesson.path[:end]
        for lesson in LessonPage.objects.live().search(normalised)
        for end in range(step, len(lesson.path), step)
    }
    if ancestor_paths:
        course_ids.update(
            CoursePage.objects.filter(path__in=ancestor_paths).values_list(
                "pk", flat=True
            )
        )
    return sorted(course_ids)
