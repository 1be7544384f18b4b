"""Finding courses: filters and a search that matches Urdu however it was typed."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from content.text import normalise_for_matching

from .models import CoursePage, LessonPage, ProgrammePage

COURSES_PER_PAGE = 20


@dataclass
class CatalogueFilters:
    programme: int | None = None
    language: str = ""
    level: str = ""
    query: str = ""


def catalogue(filters: CatalogueFilters, page_number: str | int = 1) -> Page:
    courses: QuerySet[CoursePage] = (
        CoursePage.objects.live()
        .public()
        .select_related("cover_image", "locale")
        .order_by("path")
    )
    if filters.programme:
        programme = ProgrammePage.objects.filter(pk=filters.programme).first()
        courses = courses.child_of(programme) if programme else courses.none()
    if filters.language:
        courses = courses.filter(locale__language_code=filters.language)
    if filters.level:
        courses = courses.filter(level=filters.level)
    if filters.query.strip():
        courses = courses.filter(pk__in=_matching_course_ids(filters.query))
    paginator = Paginator(courses, COURSES_PER_PAGE)
    page = paginator.get_page(page_number)
    programmes = {
        programme.path: programme
        for programme in ProgrammePage.objects.filter(
            path__in={course.path[: -course.steplen] for course in page.object_list}
        )
    }
    for course in page.object_list:
        course.programme_page = programmes.get(course.path[: -course.steplen])
    return page


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
