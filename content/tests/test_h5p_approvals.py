"""Packages that need new libraries, sent for approval: held (nothing installed,
nothing playable) until a programme manager of the programme approves or
declines them; the trainer is told in their language."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from content.h5p import H5PValidationError
from content.models import H5PActivity, H5PHeldPackage, H5PLibrary
from content.services import (
    ApprovalRefused,
    approve_held_package,
    decline_held_package,
    send_package_for_approval,
)

from . import h5p_builders as builders
from .conftest import stored_files

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_content_h5pheldpackage:list"
INSPECT = "wagtailsnippets_content_h5pheldpackage:inspect"
APPROVE = "wagtailsnippets_content_h5pheldpackage:approve"
DECLINE = "wagtailsnippets_content_h5pheldpackage:decline"


@pytest.fixture
def programme_trainer(make_learner, home_page):
    """Return a function making a programme and a trainer of it only."""
    from courses import authoring
    from courses.models import ProgrammePage

    def make(slug: str, **profile):
        programme = authoring.create_programme(
            home_page, slug.upper(), slug, audience=ProgrammePage.Audience.TEACHERS
        )
        group = Group.objects.create(name=f"Trainers of {slug}")
        authoring.grant_programme_to_group(programme, group)
        trainer = make_learner(**profile)
        trainer.groups.add(group)
        return programme, trainer

    return make


@pytest.fixture
def nttp(programme_trainer):
    return programme_trainer("nttp", preferred_language="ur")


@pytest.fixture
def lecturers(programme_trainer):
    return programme_trainer("lecturers")


def upload(client, package, *, send_for_approval=True):
    data = {"package": SimpleUploadedFile("activity.h5p", package.getvalue())}
    if send_for_approval:
        data["send_for_approval"] = "on"
    return client.post(
        reverse("wagtailsnippets_content_h5pactivity:add"), data, follow=True
    )


def held_by(nttp) -> H5PHeldPackage:
    programme, trainer = nttp
    return send_package_for_approval(
        builders.build_activity_package(), trainer, programme
    )


def test_a_trainer_sends_a_package_needing_new_libraries_and_nothing_is_installed(
    client, nttp
):
    programme, trainer = nttp
    client.force_login(trainer)

    response = upload(client, builders.build_activity_package())

    held = H5PHeldPackage.objects.get()
    assert response.redirect_chain[-1][0] == reverse(LIST)
    assert "Alliance test activity" in response.content.decode()
    assert (held.programme_id, held.submitted_by) == (programme.pk, trainer)
    assert held.status == H5PHeldPackage.Status.PENDING
    assert held.libraries == ["H5P.AllianceTestActivity 1.0.0"]
    # Held, not installed: no library, no activity, only the package file.
    assert not H5PLibrary.objects.exists()
    assert not H5PActivity.objects.exists()
    assert stored_files() == [held.storage_name]
    inspect = client.get(reverse(INSPECT, args=[held.pk])).content.decode()
    assert "H5P.AllianceTestActivity 1.0.0" in inspect
    assert "Approve and install" not in inspect


def test_without_asking_for_approval_the_upload_is_refused_as_before(client, nttp):
    _programme, trainer = nttp
    client.force_login(trainer)

    response = upload(
        client, builders.build_activity_package(), send_for_approval=False
    )

    assert "Send for approval" in response.content.decode()
    assert not H5PHeldPackage.objects.exists()
    assert stored_files() == []


def test_a_broken_package_is_refused_and_never_held(client, nttp):
    _programme, trainer = nttp
    client.force_login(trainer)

    response = upload(client, builders.build_package_with_php_file())

    assert "content/images/shell.php" in response.content.decode()
    assert not H5PHeldPackage.objects.exists()
    assert stored_files() == []


def test_a_package_needing_nothing_new_is_not_held(nttp):
    from content.services import import_h5p_package

    import_h5p_package(builders.build_activity_package())
    programme, trainer = nttp

    with pytest.raises(H5PValidationError) as refused:
        send_package_for_approval(builders.build_activity_package(), trainer, programme)

    assert refused.value.code == "nothing_to_approve"
    assert not H5PHeldPackage.objects.exists()


def test_someone_who_uploads_no_activities_cannot_send(nttp, make_learner):
    programme, _trainer = nttp

    with pytest.raises(ApprovalRefused):
        send_package_for_approval(
            builders.build_activity_package(), make_learner(), programme
        )

    assert not H5PHeldPackage.objects.exists()


def test_a_trainer_cannot_send_for_another_programme(nttp, lecturers):
    _programme, trainer = nttp
    other_programme, _other = lecturers

    with pytest.raises(ApprovalRefused):
        send_package_for_approval(
            builders.build_activity_package(), trainer, other_programme
        )

    assert not H5PHeldPackage.objects.exists()
    assert stored_files() == []


def test_a_trainer_sees_only_their_programmes_held_packages(client, nttp, lecturers):
    held = held_by(nttp)
    _other_programme, other_trainer = lecturers
    client.force_login(other_trainer)

    listing = client.get(reverse(LIST))
    inspect = client.get(reverse(INSPECT, args=[held.pk]))
    approve = client.post(reverse(APPROVE, args=[held.pk]))
    decline = client.post(reverse(DECLINE, args=[held.pk]), {"reason": "No."})

    assert listing.status_code == 200
    assert "Alliance test activity" not in listing.content.decode()
    # Wagtail answers a refused admin page by sending the user to the dashboard.
    assert inspect.status_code == 302
    assert inspect["Location"] == reverse("wagtailadmin_home")
    assert approve.status_code == decline.status_code == 404
    held.refresh_from_db()
    assert held.status == H5PHeldPackage.Status.PENDING


def test_a_trainer_cannot_approve_their_own_package(client, nttp):
    held = held_by(nttp)
    _programme, trainer = nttp
    client.force_login(trainer)

    response = client.post(reverse(APPROVE, args=[held.pk]))

    # Refused (Wagtail sends a refused user to the dashboard).
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    held.refresh_from_db()
    assert held.status == H5PHeldPackage.Status.PENDING
    assert not H5PLibrary.objects.exists()


def test_a_programme_manager_never_approves_a_package_they_sent(
    nttp, programme_manager
):
    programme, _trainer = nttp
    # A manager who is also one of the programme's trainers.
    programme_manager.groups.add(Group.objects.get(name="Trainers of nttp"))
    held = send_package_for_approval(
        builders.build_activity_package(), programme_manager, programme
    )

    with pytest.raises(ApprovalRefused) as refused:
        approve_held_package(held.pk, programme_manager)

    assert refused.value.code == "not_allowed"
    assert not H5PLibrary.objects.exists()


def test_a_programme_manager_approves_and_the_trainer_is_told_in_urdu(
    client, nttp, programme_manager, django_capture_on_commit_callbacks
):
    held = held_by(nttp)
    programme, trainer = nttp
    client.force_login(programme_manager)
    inspect = client.get(reverse(INSPECT, args=[held.pk])).content.decode()
    assert "Approve and install" in inspect

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(APPROVE, args=[held.pk]), follow=True)

    assert response.status_code == 200
    held.refresh_from_db()
    activity = H5PActivity.objects.get()
    assert held.status == H5PHeldPackage.Status.APPROVED
    assert (held.activity, held.decided_by) == (activity, programme_manager)
    assert (activity.programme_id, activity.uploaded_by) == (programme.pk, trainer)
    assert H5PLibrary.objects.get().version == "1.0.0"
    assert held.storage_name not in stored_files()
    assert held.notified_at is not None
    [message] = mail.outbox
    assert message.to == [trainer.email]
    assert "Alliance test activity" in message.subject
    assert "منظور" in message.subject  # Urdu: "approved"


def test_a_programme_manager_declines_with_a_reason_the_trainer_reads(
    client, lecturers, programme_manager, django_capture_on_commit_callbacks
):
    held = held_by(lecturers)
    client.force_login(programme_manager)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse(DECLINE, args=[held.pk]),
            {"reason": "This library is not one we trust yet."},
        )

    held.refresh_from_db()
    assert held.status == H5PHeldPackage.Status.DECLINED
    assert held.decline_reason == "This library is not one we trust yet."
    assert not H5PLibrary.objects.exists()
    assert not H5PActivity.objects.exists()
    assert stored_files() == []
    [message] = mail.outbox
    assert "declined" in message.subject
    assert "This library is not one we trust yet." in message.body


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
def test_declining_needs_a_reason_of_sensible_length(
    client, nttp, programme_manager, reason
):
    held = held_by(nttp)
    client.force_login(programme_manager)

    response = client.post(
        reverse(DECLINE, args=[held.pk]), {"reason": reason}, follow=True
    )

    assert response.status_code == 200
    held.refresh_from_db()
    assert held.status == H5PHeldPackage.Status.PENDING
    assert mail.outbox == []
    with pytest.raises(ApprovalRefused):
        decline_held_package(held.pk, programme_manager, reason)


def test_a_decided_package_cannot_be_decided_again(nttp, programme_manager):
    held = held_by(nttp)
    decline_held_package(held.pk, programme_manager, "Not now.")

    with pytest.raises(ApprovalRefused) as refused:
        approve_held_package(held.pk, programme_manager)

    assert refused.value.code == "already_decided"
    assert not H5PLibrary.objects.exists()


def test_approving_a_package_that_no_longer_passes_keeps_it_held(
    nttp, programme_manager
):
    from content.services import import_h5p_package

    held = held_by(nttp)
    # Meanwhile the same library version arrives with other bytes.
    library = builders.activity_library()
    library.files["activity.js"] = b"// other bytes\n"
    import_h5p_package(
        builders.zip_files(builders.activity_package_files(main=library))
    )

    with pytest.raises(H5PValidationError):
        approve_held_package(held.pk, programme_manager)

    held.refresh_from_db()
    assert held.status == H5PHeldPackage.Status.PENDING
    assert default_storage.exists(held.storage_name)
    assert H5PActivity.objects.count() == 1


def test_the_listing_reads_the_same_number_of_rows_however_many_are_held(
    client, nttp, programme_manager, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    held_by(nttp)
    client.force_login(programme_manager)
    client.get(reverse(LIST))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(LIST))
    for _ in range(3):
        held_by(nttp)

    with django_assert_max_num_queries(len(one)):
        response = client.get(reverse(LIST))
    assert response.content.decode().count("Alliance test activity") >= 4


HOME = "wagtailadmin_home"


def outcomes_on_home(client) -> str:
    html = client.get(reverse(HOME)).content.decode()
    if 'id="h5p-package-outcomes-heading"' not in html:
        return ""
    return html.split('id="h5p-package-outcomes-heading"')[1].split("</section>")[0]


def test_the_trainer_sees_each_outcome_on_the_admin_home_page(
    client, nttp, lecturers, programme_manager
):
    programme, trainer = nttp
    client.force_login(trainer)
    assert outcomes_on_home(client) == ""  # nothing sent: no panel

    # Sent before any is approved: approval installs their libraries.
    waiting, declined, approved = held_by(nttp), held_by(nttp), held_by(nttp)
    others = held_by(lecturers)
    decline_held_package(declined.pk, programme_manager, "Not a library we trust.")
    activity = approve_held_package(approved.pk, programme_manager)

    panel = outcomes_on_home(client)

    assert f'data-held-package="{waiting.pk}" data-status="pending"' in panel
    assert "awaiting a programme manager" in panel
    assert f'data-held-package="{declined.pk}" data-status="declined"' in panel
    assert "Not a library we trust." in panel
    assert f'data-held-package="{approved.pk}" data-status="approved"' in panel
    assert (
        reverse("wagtailsnippets_content_h5pactivity:edit", args=[activity.pk]) in panel
    )
    # Another trainer's package is not this trainer's to hear of.
    assert f'data-held-package="{others.pk}"' not in panel


def test_a_decision_older_than_the_panels_days_leaves_it(
    client, nttp, programme_manager
):
    from datetime import timedelta

    from django.utils import timezone

    from content.wagtail_hooks import PACKAGE_OUTCOME_DAYS

    _programme, trainer = nttp
    held = held_by(nttp)
    decline_held_package(held.pk, programme_manager, "Not a library we trust.")
    client.force_login(trainer)
    assert "Not a library we trust." in outcomes_on_home(client)

    H5PHeldPackage.objects.filter(pk=held.pk).update(
        decided_at=timezone.now() - timedelta(days=PACKAGE_OUTCOME_DAYS, minutes=1)
    )

    assert outcomes_on_home(client) == ""


def test_the_outcomes_panel_reads_the_same_rows_however_many_packages(
    client, nttp, programme_manager
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _programme, trainer = nttp
    first, *more = [held_by(nttp) for _ in range(4)]
    approve_held_package(first.pk, programme_manager)
    client.force_login(trainer)
    client.get(reverse(HOME))  # warm caches (site, permissions)
    with CaptureQueriesContext(connection) as one:
        assert (
            client.get(reverse(HOME)).content.decode().count("data-held-package=") == 4
        )
    for held in more:
        decline_held_package(held.pk, programme_manager, "Not a library we trust.")
    with CaptureQueriesContext(connection) as four:
        html = client.get(reverse(HOME)).content.decode()

    assert html.count("data-held-package=") == 4
    assert len(four) == len(one)


def test_the_outcomes_panel_speaks_urdu(client, nttp, programme_manager):
    _programme, trainer = nttp
    held = held_by(nttp)
    decline_held_package(held.pk, programme_manager, "Not a library we trust.")
    client.force_login(trainer)

    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(trainer)
    profile.preferred_language = "ur"
    profile.save()

    html = client.get(reverse(HOME)).content.decode()

    assert "منظوری کے لیے بھیجے گئے آپ کے H5P پیکج" in html
    assert "کو مسترد ہوا" in html


def test_deleting_a_programme_removes_its_held_packages_files(
    nttp, lecturers, django_capture_on_commit_callbacks
):
    programme, _trainer = nttp
    held = held_by(nttp)
    kept = held_by(lecturers)
    assert held.storage_name in stored_files()

    with django_capture_on_commit_callbacks(execute=True):
        programme.delete()

    assert not H5PHeldPackage.objects.filter(pk=held.pk).exists()
    # The other programme's package and its file stay.
    assert stored_files() == [kept.storage_name]


def test_a_rolled_back_deletion_keeps_the_held_packages_file(nttp):
    from django.db import transaction

    programme, _trainer = nttp
    held = held_by(nttp)

    with pytest.raises(RuntimeError), transaction.atomic():
        programme.delete()
        raise RuntimeError("rolled back")

    assert H5PHeldPackage.objects.filter(pk=held.pk).exists()
    assert stored_files() == [held.storage_name]
