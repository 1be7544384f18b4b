"""The failed tasks view: who sees it, what it lists, and the retry action."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lms.accounts.tasks import send_welcome_email
from tests.faults.conftest import work_off_queue

pytestmark = pytest.mark.django_db

INDEX = "failed_tasks:index"


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_WORKER_HEARTBEAT_SECONDS = 3600


def failed_tasks(count: int) -> list[DBTaskResult]:
    """Tasks that fail for good: a welcome mail to an account that is gone."""
    for n in range(count):
        send_welcome_email.enqueue(user_id=900000 + n)
    work_off_queue()
    return list(DBTaskResult.objects.filter(status=TaskResultStatus.FAILED))


def staff_client(client, make_learner, group: str):
    user = make_learner(email=f"{group.split()[0].lower()}@example.org")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


@pytest.fixture
def manager_client(client, make_learner):
    return staff_client(client, make_learner, "Programme managers")


def test_managers_see_failed_tasks_with_their_error_and_not_successful_ones(
    queue, manager_client, make_learner
):
    failed = failed_tasks(2)
    learner = make_learner(email="fine@example.org")
    send_welcome_email.call(user_id=learner.pk)
    work_off_queue()  # the learner's welcome succeeds
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).exists()

    response = manager_client.get(reverse(INDEX))

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("send_welcome_email") == 2
    assert "DoesNotExist" in page
    for result in failed:
        assert reverse("failed_tasks:retry", args=[result.pk]) in page

    inspect = manager_client.get(reverse("failed_tasks:inspect", args=[failed[0].pk]))
    assert inspect.status_code == 200
    assert "User.DoesNotExist" in inspect.content.decode()  # the traceback


def test_the_listing_makes_the_same_queries_for_two_or_six_tasks(queue, manager_client):
    failed_tasks(2)
    manager_client.get(reverse(INDEX))  # warm caches of the admin
    with CaptureQueriesContext(connection) as two:
        manager_client.get(reverse(INDEX))
    failed_tasks(4)
    with CaptureQueriesContext(connection) as six:
        response = manager_client.get(reverse(INDEX))
    assert response.content.decode().count("send_welcome_email") == 6
    assert len(six) == len(two)


def test_trainers_and_learners_cannot_see_or_retry_failed_tasks(
    queue, client, make_learner
):
    (failed,) = failed_tasks(1)
    trainer = staff_client(client, make_learner, "Trainers")
    assert trainer.get(reverse(INDEX)).status_code in (302, 403)
    response = trainer.post(reverse("failed_tasks:retry", args=[failed.pk]))
    assert response.status_code in (302, 403)
    failed.refresh_from_db()
    assert failed.status == TaskResultStatus.FAILED


def test_superusers_see_failed_tasks(queue, client, django_user_model):
    failed_tasks(1)
    admin = django_user_model.objects.create_superuser("root@example.org", "pw-1234")
    client.force_login(admin)
    assert client.get(reverse(INDEX)).status_code == 200


def test_retry_asks_first_then_queues_the_task_again_with_fresh_tries(
    queue, manager_client, make_learner
):
    (failed,) = failed_tasks(1)
    url = reverse("failed_tasks:retry", args=[failed.pk])

    response = manager_client.get(url)
    assert response.status_code == 200
    assert "Yes, retry" in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == TaskResultStatus.FAILED  # GET changes nothing

    response = manager_client.post(url)
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == TaskResultStatus.READY
    assert failed.worker_ids == []
    work_off_queue()
    failed.refresh_from_db()
    assert failed.status == TaskResultStatus.FAILED  # the account is still gone
    assert len(failed.worker_ids) == 1


def test_a_task_that_has_not_failed_for_good_is_not_retried(queue, manager_client):
    (failed,) = failed_tasks(1)
    DBTaskResult.objects.filter(pk=failed.pk).update(status=TaskResultStatus.READY)

    response = manager_client.post(
        reverse("failed_tasks:retry", args=[failed.pk]), follow=True
    )

    assert "Only a failed task can be retried." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == TaskResultStatus.READY
    assert len(failed.worker_ids) == 1


@pytest.mark.parametrize("view", ["add", "edit", "delete", "copy", "history"])
def test_failed_tasks_have_no_views_that_write_outside_the_retry_action(view):
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse(f"failed_tasks:{view}", args=[] if view == "add" else ["x"])
