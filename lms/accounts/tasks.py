"""Background work for accounts, run by the task worker."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from lms.background.retry import DATABASE_FAULTS, NETWORK_FAULTS, retried

from .models import User


@retried(*DATABASE_FAULTS, *NETWORK_FAULTS)
@task()
def send_registration_attempt_notice(user_id: int) -> str:
    """Tell an account's owner that someone tried to register with their
    address, and how to sign in or reset the password if it was them."""
    user = User.objects.select_related("profile").get(pk=user_id)
    language = getattr(getattr(user, "profile", None), "preferred_language", "en")
    with translation.override(language):
        context = {"user": user, "site_url": settings.SITE_URL}
        subject = render_to_string(
            "accounts/email/registration_attempt_subject.txt", context
        )
        body = render_to_string("accounts/email/registration_attempt_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
    return user.email


@retried(*DATABASE_FAULTS, *NETWORK_FAULTS)
@task()
def send_welcome_email(user_id: int) -> str:
    """Greet a new learner in their language and tell them where to start.

    Sent once: the user's row stays locked while the mail goes, and the time
    it went is recorded in the same transaction."""
    with transaction.atomic():
        user = (
            User.objects.select_for_update(of=("self",))
            .select_related("profile")
            .get(pk=user_id)
        )
        if user.welcome_email_sent_at is not None:
            return user.email
        language = getattr(getattr(user, "profile", None), "preferred_language", "en")
        with translation.override(language):
            context = {"user": user, "site_url": settings.SITE_URL}
            subject = render_to_string("accounts/email/welcome_subject.txt", context)
            body = render_to_string("accounts/email/welcome_body.txt", context)
        send_mail(" ".join(subject.split()), body, None, [user.email])
        user.welcome_email_sent_at = timezone.now()
        user.save(update_fields=["welcome_email_sent_at"])
    return user.email
