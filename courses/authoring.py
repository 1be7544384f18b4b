"""Building the page tree from code: the demo data and the tests use these.

Trainers do the same in the Wagtail admin; these functions publish a revision
exactly as the admin's "Publish" does, so pages made here behave like theirs.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q, QuerySet
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from lms.accounts import services as accounts

from .models import (
    CoursePage,
    LessonPage,
    ModulePage,
    ProgrammeCollection,
    ProgrammePage,
)

# Trainers write and submit for review; only reviewers and programme managers
# publish, so the review workflow is the trainers' only way live.
TRAINER_PAGE_PERMISSIONS = ["add_page", "change_page"]
REVIEWER_PAGE_PERMISSIONS = ["change_page", "publish_page"]
PROGRAMME_MANAGER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
# The groups that publish on the whole tree (lms.home.reference_data grants it).
SITE_PUBLISHERS = {
    accounts.REVIEWERS_GROUP: REVIEWER_PAGE_PERMISSIONS,
    accounts.PROGRAMME_MANAGERS_GROUP: PROGRAMME_MANAGER_PAGE_PERMISSIONS,
}


def _publish_child(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@transaction.atomic
def create_programme(home: Page, title: str, slug: str, **fields: Any) -> ProgrammePage:
    return _publish_child(home, ProgrammePage(title=title, slug=slug, **fields))


@transaction.atomic
def create_course(
    programme: ProgrammePage, title: str, slug: str, **fields: Any
) -> CoursePage:
    fields.setdefault("summary", title)
    return _publish_child(programme, CoursePage(title=title, slug=slug, **fields))


@transaction.atomic
def create_module(course: CoursePage, title: str, slug: str, **fields) -> ModulePage:
    return _publish_child(course, ModulePage(title=title, slug=slug, **fields))


@transaction.atomic
def create_lesson(
    parent: CoursePage | ModulePage,
    title: str,
    slug: str,
    body: list[tuple[str, Any]] | None = None,
    **fields: Any,
) -> LessonPage:
    lesson = LessonPage(title=title, slug=slug, body=body or [], **fields)
    return _publish_child(parent, lesson)


@transaction.atomic
def translate_page(page: Page, language_code: str, **fields: Any) -> Page:
    """Copy a page into another locale (keeping its translation key) and publish.

    Parents are copied too when they have no translation yet, as Wagtail's own
    "Translate" action does.
    """
    locale = Locale.objects.get(language_code=language_code)
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    translation = page.specific.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save()
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation.specific


def programme_pages() -> QuerySet[Page]:
    """Every programme once: in the default language where it has one."""
    default = Locale.get_default()
    programmes = Page.objects.type(ProgrammePage)
    return programmes.filter(
        Q(locale=default)
        | ~Q(
            translation_key__in=programmes.filter(locale=default).values(
                "translation_key"
            )
        )
    )


@transaction.atomic
def programme_collection(programme: ProgrammePage) -> Collection:
    """The programme's own collection of images and documents, made on first use."""
    link = (
        ProgrammeCollection.objects.select_related("collection")
        .filter(programme_key=programme.translation_key)
        .first()
    )
    if link is not None:
        return link.collection
    collection = Collection.get_first_root_node().add_child(
        name=_unique_collection_name(programme.title)
    )
    ProgrammeCollection.objects.create(
        programme_key=programme.translation_key, collection=collection
    )
    return collection


def _unique_collection_name(title: str) -> str:
    name, number = title[:240], 2
    while Collection.objects.filter(name=name).exists():
        name, number = f"{title[:240]} ({number})", number + 1
    return name


@transaction.atomic
def grant_programme_to_group(programme: ProgrammePage, group: Group) -> None:
    """Let a trainers' group edit one programme's pages and nothing else.

    Trainers do not publish: "Submit for review" starts the review workflow,
    and a reviewer's approval makes the page live.
    """
    for locale_programme in [programme, *programme.get_translations()]:
        for codename in TRAINER_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=locale_programme,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    # Question banks and quizzes: the admin shows a trainer only those of the
    # programmes they edit (courses.quizzes.access).
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="courses",
            content_type__model__in=["question", "questioncategory", "quiz"],
            codename__regex=r"^(add|change|delete|view)_",
        )
    )
    # H5P activities: trainers upload packages and choose them in lessons.
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="content",
            codename__in=[
                "add_h5pactivity",
                "change_h5pactivity",
                "view_h5pactivity",
                "view_h5pstartfailure",
                # Their own packages sent for approval, and the outcome.
                "view_h5pheldpackage",
            ],
        )
    )
    # Images and documents: the programme's own collection, not the root, so
    # the choosers show a trainer only their programme's files.
    collection = programme_collection(programme)
    for app_label, codename in [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
    ]:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            ),
        )


@transaction.atomic
def ensure_review_workflow(home: Page, reviewers: Group) -> Workflow:
    """Every page under ``home`` goes live only after a reviewer approves it."""
    task, _created = GroupApprovalTask.objects.get_or_create(name="Reviewer approval")
    task.groups.set([reviewers])
    workflow, _created = Workflow.objects.get_or_create(name="Review before publishing")
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    for page in [home, *home.get_translations()]:
        WorkflowPage.objects.update_or_create(
            page=page, defaults={"workflow": workflow}
        )
    return workflow
