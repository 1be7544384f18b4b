"""The reference data every database holds, made by one idempotent function.

Groups and their permissions (who may publish pages among them), Pakistan's
provinces and districts, the content locales, the page tree's roots with the home
page and the default Site, and the default certificate template.
``ensure_reference_data`` runs after every ``migrate`` and every ``flush``
(Django sends ``post_migrate`` for both, so a transactional test gets this data
back after its flush), and ``seed_demo`` calls it too. It creates what is
missing and corrects the provinces and districts; it removes nothing but
Wagtail's placeholder "Welcome" page, and keeps what staff changed (the Site,
the home page, extra permissions).

Data migrations made these rows once; they are empty now. New reference data
belongs here, not in a data migration.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Model, Q

from lms.accounts import services as accounts

PLACES_FILE = (
    Path(__file__).resolve().parent.parent
    / "accounts"
    / "data"
    / "pakistan_districts.json"
)
ACCESS_ADMIN = ("wagtailadmin", "access_admin")
COHORT_WORK = [
    ("cohorts", "add_bulkenrolmentrun"),
    ("cohorts", "view_bulkenrolmentrun"),
    ("cohorts", "add_announcement"),
    ("cohorts", "view_announcement"),
]
EVENT_WORK = [
    ("events", "add_registration"),
    ("events", "change_registration"),
    ("events", "view_registration"),
]
# Each group and the permissions (app label, codename) it holds.
GROUP_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    accounts.LEARNERS_GROUP: [],
    accounts.TRAINERS_GROUP: [ACCESS_ADMIN],
    accounts.REVIEWERS_GROUP: [ACCESS_ADMIN],
    accounts.PROGRAMME_MANAGERS_GROUP: [
        ACCESS_ADMIN,
        *(
            ("certificates", codename)
            for codename in (
                "add_certificatetemplate",
                "change_certificatetemplate",
                "view_certificatetemplate",
                "add_workshop",
                "change_workshop",
                "view_workshop",
                "view_certificate",
                "change_certificate",
            )
        ),
        # Installing an H5P library the site does not have yet, or its update,
        # is the managers' right; trainers use what is installed.
        ("content", "install_h5plibrary"),
        ("content", "view_h5plibrary"),
        # Trainers' packages that need new libraries: approved or declined here.
        ("content", "view_h5pheldpackage"),
        # Failed background tasks: "view" to see them, "change" to retry one.
        ("django_tasks_database", "view_dbtaskresult"),
        ("django_tasks_database", "change_dbtaskresult"),
        # Cohorts of every programme, and who coordinates what.
        *(
            ("cohorts", f"{action}_{model}")
            for model in ("cohort", "coordinatorassignment")
            for action in ("add", "change", "delete", "view")
        ),
        *COHORT_WORK,
        # Events of every programme: planned, edited, and their registrations.
        *(
            ("events", f"{action}_event")
            for action in ("add", "change", "delete", "view")
        ),
        *EVENT_WORK,
    ],
    # What each coordinator may do to the cohorts in their scope
    # (cohorts.scoping): see them, enrol learners from a file, announce.
    accounts.COORDINATORS_GROUP: [
        ACCESS_ADMIN,
        ("cohorts", "view_cohort"),
        *COHORT_WORK,
        # The events in their scope (events.scoping): see who registered,
        # register walk-ins, cancel a place.
        ("events", "view_event"),
        *EVENT_WORK,
    ],
}
HOME_TITLE = "Alliance Learning"
HOME_INTRO = (
    "Courses and verifiable certificates for the teachers and lecturers "
    "of the Alliance Forums."
)
DEFAULT_TEMPLATE = {
    "issuer_en": "Alliance Teachers Forum",
    "issuer_ur": "الائنس ٹیچرز فورم",
}


@transaction.atomic
def ensure_reference_data() -> None:
    """Create every missing piece of reference data; safe to run at any time."""
    _groups()
    _places()
    _locales()
    _page_tree()
    _site_publishing()
    _default_certificate_template()


def create_after_migrate(
    sender: AppConfig, using: str = DEFAULT_DB_ALIAS, **kwargs: Any
) -> None:
    """The ``post_migrate`` receiver: after a full ``migrate`` or a ``flush``.

    A ``migrate`` to an earlier state (its ``plan`` leaves migrations unapplied)
    is skipped: the models here describe the latest schema only.
    """
    if using != DEFAULT_DB_ALIAS:
        return
    if "plan" in kwargs and not _schema_is_current(using):
        return
    ensure_reference_data()


def _schema_is_current(using: str) -> bool:
    executor = MigrationExecutor(connections[using])
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def _groups() -> None:
    from django.contrib.auth.models import Group, Permission

    # post_migrate makes permissions app by app; make the ones given out here now.
    for app_label in {
        label for perms in GROUP_PERMISSIONS.values() for label, _ in perms
    }:
        create_permissions(apps.get_app_config(app_label), verbosity=0)
    existing = set(Group.objects.values_list("name", flat=True))
    Group.objects.bulk_create(
        [Group(name=name) for name in GROUP_PERMISSIONS if name not in existing]
    )
    for group in Group.objects.filter(name__in=GROUP_PERMISSIONS):
        wanted = GROUP_PERMISSIONS[group.name]
        held = set(group.permissions.values_list("content_type__app_label", "codename"))
        missing = [perm for perm in wanted if perm not in held]
        if missing:
            which = Q()
            for label, codename in missing:
                which |= Q(content_type__app_label=label, codename=codename)
            group.permissions.add(*Permission.objects.filter(which))


def _places() -> None:
    from lms.accounts.models import District, Province

    data = json.loads(PLACES_FILE.read_text(encoding="utf-8"))
    _create_or_correct(
        Province,
        {
            entry["code"]: {"name_en": entry["name_en"], "name_ur": entry["name_ur"]}
            for entry in data["provinces"]
        },
    )
    province_ids = dict(Province.objects.values_list("code", "pk"))
    _create_or_correct(
        District,
        {
            place["code"]: {
                "province_id": province_ids[entry["code"]],
                "name_en": place["name_en"],
                "name_ur": place["name_ur"],
            }
            for entry in data["provinces"]
            for place in entry["districts"]
        },
    )


def _create_or_correct(model: type[Model], wanted: dict[str, dict[str, Any]]) -> None:
    """Make the rows of ``model`` named by code hold the wanted fields."""
    existing = {row.code: row for row in model.objects.filter(code__in=wanted)}
    model.objects.bulk_create(
        [
            model(code=code, **fields)
            for code, fields in wanted.items()
            if code not in existing
        ]
    )
    for code, row in existing.items():
        fields = wanted[code]
        if any(getattr(row, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(row, name, value)
            row.save(update_fields=list(fields))


def _locales() -> None:
    from wagtail.models import Locale

    existing = set(Locale.objects.values_list("language_code", flat=True))
    Locale.objects.bulk_create(
        [
            Locale(language_code=code)
            for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES
            if code not in existing
        ]
    )


def _page_tree() -> None:
    """Wagtail's root page and root collection, our home page, the default Site."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale, Page, Site

    from .models import HomePage

    english = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=english))
    # Wagtail's first migration makes a "Welcome" page (and a Site for it).
    Page.objects.filter(
        depth=2, slug="home", content_type=ContentType.objects.get_for_model(Page)
    ).delete()
    home = HomePage.objects.filter(locale=english).first() or HomePage.objects.first()
    if home is None:
        root = Page.objects.get(pk=root.pk)  # the deletion changed its children
        home = root.add_child(
            instance=HomePage(
                title=HOME_TITLE, slug="home", locale=english, intro=HOME_INTRO
            )
        )
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(
            hostname="localhost",
            root_page=home,
            is_default_site=True,
            site_name=HOME_TITLE,
        )


def _site_publishing() -> None:
    """Reviewers and programme managers publish anywhere on the site; trainers
    never do (review is the only way live for them). Two queries when present."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission, Page

    from courses.authoring import SITE_PUBLISHERS

    root = Page.get_first_root_node()
    wanted = {
        (group_name, codename)
        for group_name, codenames in SITE_PUBLISHERS.items()
        for codename in codenames
    }
    present = set(
        GroupPagePermission.objects.filter(
            page=root, group__name__in=SITE_PUBLISHERS
        ).values_list("group__name", "permission__codename")
    )
    missing = wanted - present
    if not missing:
        return
    # post_migrate may not have reached wagtailcore's permissions yet.
    create_permissions(apps.get_app_config("wagtailcore"), verbosity=0)
    groups = {g.name: g for g in Group.objects.filter(name__in=SITE_PUBLISHERS)}
    permissions = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="wagtailcore",
            codename__in={codename for _group, codename in missing},
        )
    }
    GroupPagePermission.objects.bulk_create(
        [
            GroupPagePermission(
                group=groups[group_name], page=root, permission=permissions[codename]
            )
            for group_name, codename in sorted(missing)
        ]
    )


def _default_certificate_template() -> None:
    from certificates.models import CertificateTemplate
    from certificates.services.issuing import DEFAULT_TEMPLATE_NAME

    CertificateTemplate.objects.get_or_create(
        name=DEFAULT_TEMPLATE_NAME, defaults=DEFAULT_TEMPLATE
    )
