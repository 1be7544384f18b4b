import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from lms.accounts.tasks import send_welcome_email


# Transactional: the worker opens and closes its own database connections.
@pytest.mark.django_db(transaction=True)
def test_welcome_email_goes_through_the_database_queue_and_worker(
    settings, make_learner, django_capture_on_commit_callbacks
):
    # The suite runs tasks at once; this test uses the real queue and worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        make_learner(email="queued@example.org", certificate_name_en="Queued Teacher")

    # Registration only enqueued the e-mail; nothing is sent yet.
    result = DBTaskResult.objects.get()
    assert result.task_path.endswith("send_welcome_email")
    assert mail.outbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    result.refresh_from_db()
    assert result.status == "SUCCESSFUL"
    assert [message.to for message in mail.outbox] == [["queued@example.org"]]
    assert "Dear Queued Teacher" in mail.outbox[0].body


@pytest.mark.django_db
def test_welcome_email_for_unknown_user_fails_loudly():
    from lms.accounts.models import User

    with pytest.raises(User.DoesNotExist):
        send_welcome_email.call(user_id=999999)
