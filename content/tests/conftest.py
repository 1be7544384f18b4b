"""Fixtures for H5P tests: activities imported through the real service, lessons
that hold them, and the default storage switched to the S3-speaking test server."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from content.models import H5PActivity, H5PLibrary, XAPIStatement
from content.services import import_h5p_package
from lms.tests.limit_fixtures import counting_cache, set_limit  # noqa: F401

from . import h5p_builders as builders


@pytest.fixture
def import_activity(db):
    """Return a function importing a package (the valid English one by default)."""

    def make(package=None, uploaded_by=None) -> H5PActivity:
        return import_h5p_package(
            package or builders.build_activity_package(), uploaded_by=uploaded_by
        )

    return make


@pytest.fixture
def programme_manager(make_learner):
    """A user in the programme managers group, who may install libraries."""
    from django.contrib.auth.models import Group

    from lms.accounts.services import PROGRAMME_MANAGERS_GROUP

    user = make_learner()
    user.groups.add(Group.objects.get(name=PROGRAMME_MANAGERS_GROUP))
    return user


@pytest.fixture
def lesson_with_activity(make_course):
    """Return a function building a published course whose first lesson plays
    ``activity`` with the given requirement."""
    from courses import authoring

    def make(activity: H5PActivity, requirement: str = "completed", **course_fields):
        course = make_course(lessons=0, **course_fields)
        lesson = authoring.create_lesson(
            course,
            "Questioning in class",
            "questioning",
            body=[
                ("text", "<p>Read, then try the activity.</p>"),
                ("h5p", {"activity": activity, "requirement": requirement}),
            ],
        )
        return course, lesson

    return make


def stored_files(storage=None) -> list[str]:
    """Every file in the default storage (local folder or S3 bucket folder)."""
    storage = storage or default_storage
    found: list[str] = []

    def walk(folder: str) -> None:
        try:
            folders, files = storage.listdir(folder)
        except FileNotFoundError:
            return
        found.extend(f"{folder}/{name}".lstrip("/") for name in files)
        for name in folders:
            walk(f"{folder}/{name}".lstrip("/"))

    walk("")
    return sorted(found)


def row_counts() -> dict[str, int]:
    return {
        "libraries": H5PLibrary.objects.count(),
        "activities": H5PActivity.objects.count(),
        "statements": XAPIStatement.objects.count(),
    }
