"""E-mail to a trainer: the outcome of an H5P package they sent for approval.

Run by a task once the decision has committed, so a mail server that is down
fails the task (retried) and never the decision. Sent once: the time it went is
recorded under the held package's row lock.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from lms.background.retry import DATABASE_FAULTS, NETWORK_FAULTS, retried

from .models import H5PHeldPackage


def send_package_decision(held_id: int) -> str:
    """Tell the sender of ``held_id`` whether it was approved or declined (and
    why), in their language. Returns the address written to."""
    with transaction.atomic():
        held = (
            H5PHeldPackage.objects.select_for_update(of=("self",))
            .select_related("submitted_by__profile", "activity")
            .get(pk=held_id)
        )
        if held.notified_at is not None or held.status == held.Status.PENDING:
            return ""
        trainer = held.submitted_by
        profile = getattr(trainer, "profile", None)
        language = getattr(profile, "preferred_language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {"held": held, "user": trainer, "site_url": settings.SITE_URL}
            subject = render_to_string(
                "content/email/package_decision_subject.txt", context
            )
            body = render_to_string("content/email/package_decision_body.txt", context)
        send_mail(" ".join(subject.split()), body, None, [trainer.email])
        held.notified_at = timezone.now()
        held.save(update_fields=["notified_at"])
    return trainer.email


@retried(*DATABASE_FAULTS, *NETWORK_FAULTS)
@task()
def email_package_decision(held_id: int) -> str:
    return send_package_decision(held_id)
