"""Content types that never report results cannot be required by a lesson: the
trainer is told in the editor, instead of learners meeting a lesson that can
never be finished."""

from __future__ import annotations

import pytest
from wagtail.blocks.struct_block import StructBlockValidationError

from content.blocks import H5PActivityBlock
from content.models import H5PLibrary
from content.progress import reports_results
from content.tests import h5p_builders as builders

pytestmark = pytest.mark.django_db


def silent_activity(import_activity, machine_name="H5P.Accordion"):
    # The test package's own content type, named as a type that never reports
    # results (the real ones send no xAPI statement whatever the learner does).
    activity = import_activity()
    H5PLibrary.objects.filter(pk=activity.main_library_id).update(
        machine_name=machine_name
    )
    activity.refresh_from_db()
    return activity


@pytest.mark.parametrize("requirement", ["completed", "passed"])
def test_a_lesson_may_not_require_a_type_that_never_reports(
    import_activity, requirement
):
    activity = silent_activity(import_activity)
    block = H5PActivityBlock()

    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(
            block.to_python({"activity": activity.pk, "requirement": requirement})
        )

    message = refused.value.block_errors["requirement"].messages[0]
    assert "H5P.Accordion" in message
    assert activity.title in message
    assert "never tells the platform" in message


def test_the_refusal_is_in_the_trainers_language(import_activity):
    from django.utils import translation

    activity = silent_activity(import_activity, "H5P.Timeline")
    block = H5PActivityBlock()
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(
            block.to_python({"activity": activity.pk, "requirement": "completed"})
        )

    with translation.override("ur"):
        message = refused.value.block_errors["requirement"].messages[0]
    assert "H5P.Timeline" in message
    assert "کبھی" in message


def test_such_a_type_may_be_shown_for_practice(import_activity):
    activity = silent_activity(import_activity)
    block = H5PActivityBlock()

    value = block.clean(
        block.to_python({"activity": activity.pk, "requirement": "none"})
    )

    assert value["activity"] == activity
    assert not reports_results(activity)


def test_a_type_that_reports_may_be_required(import_activity):
    activity = import_activity()
    block = H5PActivityBlock()

    value = block.clean(
        block.to_python({"activity": activity.pk, "requirement": "completed"})
    )

    assert value["requirement"] == "completed"
    assert reports_results(activity)


def test_the_activity_listing_says_which_a_lesson_can_require(
    client, import_activity, django_user_model
):
    from django.urls import reverse

    reporting = import_activity(builders.build_behaviour_package("parses-html"))
    silent = silent_activity(import_activity)
    admin = django_user_model.objects.create_superuser("a@example.org", "pw-long-42")
    client.force_login(admin)

    html = client.get(
        reverse("wagtailsnippets_content_h5pactivity:list")
    ).content.decode()

    rows = {
        activity.title: html.split(activity.title, 1)[1].split("</tr>", 1)[0]
        for activity in (reporting, silent)
    }
    assert "never reports results" in rows[silent.title]
    assert "never reports results" not in rows[reporting.title]
