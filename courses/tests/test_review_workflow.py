"""Review is the only way live: trainers submit, reviewers approve, managers
publish; imported packages stay drafts until reviewed."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from courses import authoring
from courses.models import CoursePage, ModulePage
from courses.packages import export_course, importer

from .packages_builders import build_bilingual_course
from .test_course_packages import forget_course

pytestmark = pytest.mark.django_db


def staff_in(make_learner, *groups: Group):
    user = make_learner()
    user.groups.add(*groups)
    return user


@pytest.fixture
def reviewed_site(home_page):
    reviewers = Group.objects.get(name="Reviewers")
    authoring.ensure_review_workflow(home_page, reviewers)
    return reviewers


@pytest.fixture
def trainer(programme, make_learner):
    group = Group.objects.create(name="NTTP trainers")
    authoring.grant_programme_to_group(programme, group)
    return staff_in(make_learner, group, Group.objects.get(name="Trainers"))


@pytest.fixture
def module(programme, reviewed_site):
    course = authoring.create_course(programme, "Classroom routines", "routines")
    return authoring.create_module(course, "Week one", "week-one")


def edit(client, page, title: str, action: str):
    data = nested_form_data(
        {
            "title": title,
            "slug": page.slug,
            "summary": "",
            "comments": inline_formset([]),
            action: action,
        }
    )
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def test_a_trainer_pressing_publish_makes_nothing_live(client, trainer, module):
    revision_before = ModulePage.objects.get(pk=module.pk).live_revision_id
    client.force_login(trainer)
    response = edit(client, module, "Week one, rewritten", "action-publish")
    assert response.status_code in (200, 302)
    page = ModulePage.objects.get(pk=module.pk)
    assert page.title == "Week one"
    assert page.live_revision_id == revision_before
    assert not page.permissions_for_user(trainer).can_publish()
    assert page.permissions_for_user(trainer).can_edit()


def test_a_trainer_submits_and_a_reviewer_approval_makes_it_live(
    client, trainer, module, reviewed_site, make_learner
):
    client.force_login(trainer)
    edit(client, module, "Week one, rewritten", "action-submit")
    page = ModulePage.objects.get(pk=module.pk)
    assert page.title == "Week one"
    state = WorkflowState.objects.get(object_id=str(module.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    # The trainer cannot approve their own submission.
    client.force_login(trainer)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[module.pk, "approve", state.current_task_state.pk],
    )
    client.post(url)
    assert ModulePage.objects.get(pk=module.pk).title == "Week one"

    reviewer = staff_in(make_learner, reviewed_site)
    client.force_login(reviewer)
    response = client.post(url)
    assert response.status_code == 302
    page = ModulePage.objects.get(pk=module.pk)
    assert page.title == "Week one, rewritten"
    assert page.live_revision_id == page.latest_revision_id
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_a_programme_manager_publishes_at_once(client, module, make_learner):
    manager = staff_in(make_learner, Group.objects.get(name="Programme managers"))
    client.force_login(manager)
    edit(client, module, "Week one, corrected", "action-publish")
    assert ModulePage.objects.get(pk=module.pk).title == "Week one, corrected"


def test_a_learner_cannot_edit_or_publish(client, module, make_learner):
    learner = make_learner()
    client.force_login(learner)
    edit(client, module, "Defaced", "action-publish")
    assert ModulePage.objects.get(pk=module.pk).title == "Week one"
    assert not module.permissions_for_user(learner).can_edit()


def test_a_package_imported_by_a_trainer_stays_a_draft_until_reviewed(
    client, programme, trainer, reviewed_site, make_learner
):
    # The package brings H5P libraries this database no longer has; installing
    # them is a right of its own (content.services.libraries).
    trainer.user_permissions.add(Permission.objects.get(codename="install_h5plibrary"))
    course = build_bilingual_course(programme, trainer)
    data = export_course(course)
    forget_course(course)
    imported = importer.import_course_package(io.BytesIO(data), programme, trainer)
    pages = [imported, *imported.get_descendants(), *imported.get_translations()]
    assert pages and not any(page.live for page in pages)
    assert not any(page.live_revision_id for page in pages)
    assert not imported.permissions_for_user(trainer).can_publish()

    # Submitted for review and approved, it goes live.
    client.force_login(trainer)
    form = client.get(reverse("wagtailadmin_pages:edit", args=[imported.pk]))
    assert b"action-submit" in form.content
    assert b'name="action-publish"' not in form.content
    imported.specific.save_revision(user=trainer, log_action=True)
    imported.get_workflow().start(imported, trainer)
    state = WorkflowState.objects.get(object_id=str(imported.pk))
    client.force_login(staff_in(make_learner, reviewed_site))
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[imported.pk, "approve", state.current_task_state.pk],
        )
    )
    assert CoursePage.objects.get(pk=imported.pk).live


def test_the_migration_takes_publish_from_trainers_groups_only(programme):
    from importlib import import_module

    migration = import_module(
        "courses.migrations.0005_trainers_submit_for_review_reviewers_publish"
    )
    trainers = Group.objects.create(name="Old NTTP trainers")
    publish = Permission.objects.get(
        content_type__app_label="wagtailcore", codename="publish_page"
    )
    authoring.grant_programme_to_group(programme, trainers)
    GroupPagePermission.objects.create(
        group=trainers, page=programme, permission=publish
    )
    migration.review_is_the_only_way_live(apps, None)
    held = set(
        GroupPagePermission.objects.filter(group=trainers).values_list(
            "permission__codename", flat=True
        )
    )
    assert held == {"add_page", "change_page"}
    for name in ("Reviewers", "Programme managers"):
        assert GroupPagePermission.objects.filter(
            group__name=name, page__depth=1, permission=publish
        ).exists()
