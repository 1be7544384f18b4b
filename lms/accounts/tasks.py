"""Background work for accounts, run by the task worker."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from .models import User


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


@task()
def send_welcome_email(user_id: int) -> str:
    """Greet a new learner in their language and tell them where to start."""
    user = User.objects.select_related("profile").get(pk=user_id)
    language = getattr(getattr(user, "profile", None), "preferred_language", "en")
    with translation.override(language):
        context = {"user": user, "site_url": settings.SITE_URL}
        subject = render_to_string("accounts/email/welcome_subject.txt", context)
        body = render_to_string("accounts/email/welcome_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
    return user.email
