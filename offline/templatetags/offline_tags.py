"""The words the offline scripts show, in the page's language."""

import json

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def offline_strings() -> str:
    """As JSON, for a data attribute: a JSON <script> block would be inline code."""
    return json.dumps(_strings(), ensure_ascii=False)


def _strings() -> dict[str, str]:
    return {
        "waiting": _("Waiting to send: %(what)s"),
        "sent": _("Sent: %(what)s"),
        "sentPassed": _("Sent: %(what)s. Your grade: %(score)s%%, passed."),
        "sentFailed": _("Sent: %(what)s. Your grade: %(score)s%%, not passed."),
        "sentMarking": _("Sent: %(what)s. A trainer will mark your essay answers."),
        "refused": _("Not accepted: %(what)s. %(message)s"),
        "seeResult": _("See the result"),
        "sendNow": _("Send now"),
        "dismiss": _("OK"),
        "stillOffline": _("There is still no connection. It will be sent later."),
        "notSent": _("It could not be sent yet. It will be tried again later."),
        "logIn": _("Log in"),
        "keptOnPage": _(
            "No connection: your answers stay on this page. Submit them when "
            "you are done; they will be sent when the connection returns."
        ),
        "quizQueued": _(
            "Your answers are saved on this phone and waiting to send. Your "
            "grade will show once they are sent."
        ),
        "savedBadge": _("saved"),
        "spaceUsed": _("Space used on this phone: %(size)s"),
        "saveTitle": _("Save for offline"),
        "downloadSize": _(
            "Download size: %(size)s (%(lessons)s lessons, with their images, "
            "font and styles)."
        ),
        "timedQuiz": _(
            "%(title)s has a time limit, so it needs a connection; it is not saved."
        ),
        "start": _("Download"),
        "downloading": _("Downloaded %(done)s of %(total)s"),
        "failed": _("The download stopped. Nothing is lost; try again."),
        "savedTitle": _("Saved for offline"),
        "savedText": _(
            "This course (%(size)s) opens on this phone without a connection."
        ),
        "remove": _("Remove from this phone"),
        "update": _("Update"),
        "updateAvailable": _("Update available: a lesson changed since you saved it."),
        "updating": _("Updating the saved lessons…"),
        "updated": _("Updated: the saved lessons on this phone are the newest."),
        "updateFailed": _(
            "The update stopped; the saved lessons still open offline. Try again later."
        ),
        "nothingSaved": _("Nothing is saved on this phone yet."),
        "kb": _("%(n)s KB"),
        "mb": _("%(n)s MB"),
    }
