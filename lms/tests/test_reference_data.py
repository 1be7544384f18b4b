"""Reference data: one idempotent function, run after every migrate and flush."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Collection, GroupPagePermission, Locale, Page, Site

from certificates.models import CertificateTemplate
from lms.accounts.models import District, Province
from lms.home.models import HomePage
from lms.home.reference_data import ensure_reference_data


def reference_rows() -> dict:
    return {
        "groups": sorted(
            (group.name, sorted(group.permissions.values_list("codename", flat=True)))
            for group in Group.objects.all()
        ),
        "provinces": list(Province.objects.values_list("code", "name_en", "name_ur")),
        "districts": list(
            District.objects.values_list("code", "province__code", "name_en")
        ),
        "locales": sorted(Locale.objects.values_list("language_code", flat=True)),
        "pages": list(Page.objects.values_list("pk", "depth", "slug")),
        "sites": list(
            Site.objects.values_list("hostname", "root_page", "is_default_site")
        ),
        "collections": list(Collection.objects.values_list("pk", "depth")),
        "templates": list(CertificateTemplate.objects.values_list("name", "issuer_en")),
    }


def assert_reference_data_present() -> None:
    managers = Group.objects.get(name="Programme managers")
    assert set(managers.permissions.values_list("codename", flat=True)) >= {
        "access_admin",
        "view_certificate",
        "change_certificate",
        "add_workshop",
    }
    assert set(
        Group.objects.get(name="Trainers").permissions.values_list(
            "codename", flat=True
        )
    ) == {"access_admin"}
    assert not Group.objects.get(name="Learners").permissions.exists()
    assert Province.objects.count() == 7
    assert District.objects.get(code="PB-LHR").name_ur == "لاہور"
    assert set(Locale.objects.values_list("language_code", flat=True)) == {
        "en",
        "ur",
        "sd",
        "ps",
        "pnb",
    }
    home = HomePage.objects.get(locale__language_code="en")
    assert home.depth == 2 and home.get_parent().depth == 1
    assert home.url == "/"
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == home.pk
    assert Collection.get_first_root_node() is not None
    assert CertificateTemplate.objects.get(name="Default").issuer_ur
    # Reviewers and managers publish on the whole tree; trainers do not.
    publishers = set(
        GroupPagePermission.objects.filter(
            page__depth=1, permission__codename="publish_page"
        ).values_list("group__name", flat=True)
    )
    assert publishers >= {"Reviewers", "Programme managers"}
    assert "Trainers" not in publishers


@pytest.mark.django_db
def test_migrate_leaves_the_reference_data_and_no_placeholder_page():
    assert_reference_data_present()
    assert Page.objects.filter(depth=2).count() == 1  # Wagtail's "Welcome" is gone
    assert Site.objects.count() == 1


@pytest.mark.django_db
def test_running_it_again_changes_nothing(django_assert_max_num_queries):
    before = reference_rows()
    # A query or two per app whose permissions are given out (auth, awards,
    # certificates, cohorts, content, events, tasks, wagtail), and per step.
    with django_assert_max_num_queries(44):
        ensure_reference_data()
    assert reference_rows() == before


@pytest.mark.django_db
def test_it_restores_what_is_missing_and_corrects_places():
    managers = Group.objects.get(name="Programme managers")
    managers.permissions.remove(
        *managers.permissions.filter(codename="change_certificate")
    )
    Group.objects.filter(name="Reviewers").delete()
    District.objects.filter(code="PB-LHR").update(name_en="Lahore (typo)")
    District.objects.filter(code="SD-BDN").delete()
    Locale.objects.filter(language_code="pnb").delete()
    CertificateTemplate.objects.filter(name="Default").delete()

    ensure_reference_data()

    assert_reference_data_present()
    assert managers.permissions.filter(codename="change_certificate").exists()
    assert Group.objects.filter(name="Reviewers").exists()
    assert District.objects.get(code="PB-LHR").name_en == "Lahore"
    assert District.objects.get(code="SD-BDN").province.code == "SD"


@pytest.mark.django_db
def test_it_keeps_what_staff_changed():
    site = Site.objects.get(is_default_site=True)
    site.hostname = "learn.example.org"
    site.save()
    home = HomePage.objects.get()
    home.intro = "Our own words."
    home.save()
    managers = Group.objects.get(name="Programme managers")
    extra = managers.permissions.model.objects.get(codename="delete_workshop")
    managers.permissions.add(extra)

    ensure_reference_data()

    assert Site.objects.get().hostname == "learn.example.org"
    assert HomePage.objects.get().intro == "Our own words."
    assert managers.permissions.filter(pk=extra.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_flush_brings_the_reference_data_back():
    # What a transactional test's teardown does: Django's flush sends
    # post_migrate, and the reference data is made again.
    call_command("flush", interactive=False, verbosity=0)
    assert_reference_data_present()
