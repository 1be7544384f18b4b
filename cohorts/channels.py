"""How messages reach learners: a small interface so SMS or WhatsApp can be
added beside e-mail without touching the reminder rules.

``COHORT_MESSAGE_CHANNEL`` (a dotted path, e-mail by default) names the class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from lms.accounts.models import User


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    unsubscribe_url: str = ""
    # (file name, content, MIME type): an event's calendar file, for example.
    attachments: tuple[tuple[str, str | bytes, str], ...] = ()


class Channel(Protocol):
    def send(self, user: User, message: Message) -> None:
        """Deliver ``message`` to ``user``, raising if it could not go."""


class EmailChannel:
    def send(self, user: User, message: Message) -> None:
        headers = {}
        if message.unsubscribe_url:
            headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        email = EmailMessage(
            subject=" ".join(message.subject.split()),
            body=message.body,
            to=[user.email],
            headers=headers,
        )
        for name, content, mimetype in message.attachments:
            email.attach(name, content, mimetype)
        email.send()


class TestChannel:
    """Keeps what it is given, for tests and for trying rules out."""

    outbox: ClassVar[list[tuple[str, Message]]] = []

    def send(self, user: User, message: Message) -> None:
        self.outbox.append((user.email, message))


def current_channel() -> Channel:
    path = getattr(settings, "COHORT_MESSAGE_CHANNEL", "cohorts.channels.EmailChannel")
    return import_string(path)()
