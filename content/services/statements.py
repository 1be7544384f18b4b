"""Recording a learner's xAPI statements from an H5P activity, checked."""

from __future__ import annotations

import json
import math
import re
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeGuard

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from lms.request_limits import JsonLimits

from ..models import H5PActivity, XAPIStatement
from ..signals import statement_recorded

if TYPE_CHECKING:
    from lms.accounts.models import User

ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ALLOWED_VERBS = frozenset(XAPIStatement.Verb.values)
MAX_STATEMENT_BYTES = 16 * 1024
XAPI_VERSION = "1.0.3"
# The player sends {"statement": {id, timestamp, verb, object (with its
# definition), result, context}}: a few levels, a few hundred values at most.
STATEMENT_JSON_LIMITS = JsonLimits(
    max_bytes=MAX_STATEMENT_BYTES,
    max_depth=10,
    max_items=50,
    max_values=500,
    max_string=2000,
)
MAX_RESPONSE_CHARS = 2000
MAX_DURATION_CHARS = 64
_SUB_CONTENT_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


class StatementRejected(Exception):
    """A reported xAPI statement was refused; ``message`` says why."""

    def __init__(self, message: StrOrPromise) -> None:
        self.message = message
        super().__init__(str(message))


def record_xapi_statement(
    user: User,
    activity: H5PActivity,
    statement: Any,
    *,
    registration: uuid.UUID | None = None,
) -> XAPIStatement:
    """Check a statement the learner's browser reported for ``activity`` and keep it.

    The browser is not trusted: the learner is the one signed in (an actor naming
    anyone else is refused), the verb must be one of ``ALLOWED_VERBS`` (ADL), the
    object must be this activity or a part of it, and a score must lie within its
    range. The row is marked self-reported.

    It is kept as xAPI 1.0.3 keeps statements: its ``id`` (a replay of the same
    id by the same learner returns the row already recorded), its ``timestamp``,
    the time it was ``stored``, its ``context`` (``registration`` is the
    learner's enrolment, given by the caller, never taken from the browser) and
    the object's ``definition`` (which makes a ``result.response`` readable).

    Once kept (or found kept, for a retry), it is announced with
    ``content.signals.statement_recorded``.
    """
    if not isinstance(statement, dict):
        raise StatementRejected(_("The statement must be a JSON object."))
    verb = _checked_verb(statement.get("verb"))
    sub_content_id = _checked_object(statement.get("object"), activity)
    _check_actor(statement.get("actor"), user)
    result = statement.get("result", {})
    if not isinstance(result, dict):
        raise StatementRejected(_("The statement's result must be an object."))
    raw, maximum, scaled = _checked_score(result.get("score"))
    success = _optional_bool(result, "success")
    completion = _optional_bool(result, "completion")
    kept: dict[str, Any] = {
        key: value
        for key, value in (
            ("success", success),
            ("completion", completion),
            ("duration", _optional_text(result, "duration", MAX_DURATION_CHARS)),
            ("response", _optional_text(result, "response", MAX_RESPONSE_CHARS)),
        )
        if value is not None
    }
    if raw is not None:
        # Only the numbers checked, never what else the client put beside them.
        kept["score"] = {"raw": raw, "min": 0, "max": maximum, "scaled": scaled}
    statement_id = _checked_statement_id(statement.get("id"))
    timestamp = _checked_timestamp(statement.get("timestamp"))
    now = timezone.now()
    stored = {
        "id": str(statement_id),
        "version": XAPI_VERSION,
        "timestamp": (timestamp or now).isoformat(),
        "stored": now.isoformat(),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": settings.SITE_URL, "name": str(user.pk)},
        },
        "verb": {"id": ADL_VERBS + verb},
        "object": _stored_object(statement["object"]),
        "context": _stored_context(statement.get("context"), registration),
        "result": kept,
    }
    if len(json.dumps(stored, ensure_ascii=False).encode()) > MAX_STATEMENT_BYTES:
        raise StatementRejected(_("The statement is too large."))
    with transaction.atomic():
        earlier = XAPIStatement.objects.filter(statement_id=statement_id).first()
        if earlier is not None:
            if earlier.user_id != user.pk or earlier.activity_id != activity.pk:
                raise StatementRejected(
                    _("A statement with this id is already recorded.")
                )
            row = earlier  # the same statement sent again (a retry)
        else:
            row = XAPIStatement.objects.create(
                statement_id=statement_id,
                user=user,
                activity=activity,
                verb=verb,
                sub_content_id=sub_content_id,
                score_raw=raw,
                score_max=maximum,
                score_scaled=scaled,
                success=success,
                completion=completion,
                self_reported=True,
                statement=stored,
            )
    statement_recorded.send(sender=XAPIStatement, statement=row)
    return row


def _checked_statement_id(value: Any) -> uuid.UUID:
    if value is None:
        return uuid.uuid4()
    try:
        return uuid.UUID(str(value)) if isinstance(value, str) else _bad_id()
    except ValueError:
        return _bad_id()


def _bad_id() -> uuid.UUID:
    raise StatementRejected(_("The statement's id must be a UUID."))


def _checked_timestamp(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise StatementRejected(
            _("The statement's timestamp must be an ISO 8601 time with its zone.")
        )
    return moment


# Parts of the object's definition and of the context that xAPI 1.0.3 defines;
# anything else is left out.
_DEFINITION_KEYS = (
    "name",
    "description",
    "type",
    "moreInfo",
    "interactionType",
    "correctResponsesPattern",
    "choices",
    "scale",
    "source",
    "target",
    "steps",
    "extensions",
)
_CONTEXT_KEYS = ("contextActivities", "platform", "language", "extensions")


def _stored_object(obj: dict) -> dict:
    stored = {"id": obj["id"], "objectType": "Activity"}
    definition = obj.get("definition")
    if definition is not None:
        if not isinstance(definition, dict):
            raise StatementRejected(_("The activity's definition must be an object."))
        stored["definition"] = {
            key: definition[key] for key in _DEFINITION_KEYS if key in definition
        }
    return stored


def _stored_context(context: Any, registration: uuid.UUID | None) -> dict:
    if context is None:
        context = {}
    if not isinstance(context, dict):
        raise StatementRejected(_("The statement's context must be an object."))
    stored = {key: context[key] for key in _CONTEXT_KEYS if key in context}
    if registration is not None:
        stored["registration"] = str(registration)
    return stored


def _checked_verb(verb: Any) -> str:
    verb_id = verb.get("id") if isinstance(verb, dict) else None
    if isinstance(verb_id, str) and verb_id.startswith(ADL_VERBS):
        name = verb_id.removeprefix(ADL_VERBS)
        if name in ALLOWED_VERBS:
            return name
    raise StatementRejected(
        _("The verb is not one this site records (allowed: %(verbs)s).")
        % {"verbs": ", ".join(sorted(ALLOWED_VERBS))}
    )


def _checked_object(obj: Any, activity: H5PActivity) -> str:
    object_id = obj.get("id") if isinstance(obj, dict) else None
    if object_id == activity.xapi_object_id:
        return ""
    prefix = activity.xapi_object_id + "?subContentId="
    if isinstance(object_id, str) and object_id.startswith(prefix):
        sub_content_id = object_id.removeprefix(prefix)
        if _SUB_CONTENT_ID.fullmatch(sub_content_id):
            return sub_content_id
    raise StatementRejected(_("The statement is about a different activity."))


def _check_actor(actor: Any, user: User) -> None:
    """Refuse an actor that names a learner other than the one signed in.

    The player names its learner anonymously (it is never told who plays), so an
    anonymous actor is replaced by the signed-in learner; one that names an
    account on this site, or an e-mail address, must be theirs.
    """
    if actor is None:
        return
    if not isinstance(actor, dict):
        raise StatementRejected(_("The statement's actor must be an object."))
    mbox = actor.get("mbox")
    if mbox is not None and (
        not isinstance(mbox, str) or mbox.lower() != f"mailto:{user.email}".lower()
    ):
        raise StatementRejected(_("The statement names a different learner."))
    account = actor.get("account")
    if account is None:
        return
    if not isinstance(account, dict):
        raise StatementRejected(_("The statement's actor must be an object."))
    if account.get("homePage") == settings.SITE_URL and account.get("name") != str(
        user.pk
    ):
        raise StatementRejected(_("The statement names a different learner."))


def _number(value: Any) -> TypeGuard[int | float]:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def _checked_score(score: Any) -> tuple[float | None, float | None, float | None]:
    if score is None:
        return None, None, None
    out_of_range = StatementRejected(
        _(
            "The score is out of range: it needs a raw score from 0 to its maximum, "
            "and a scaled score from 0 to 1."
        )
    )
    if not isinstance(score, dict):
        raise out_of_range
    raw, maximum, minimum = score.get("raw"), score.get("max"), score.get("min", 0)
    scaled = score.get("scaled")
    if not (_number(raw) and _number(maximum) and _number(minimum)):
        raise out_of_range
    if not (minimum == 0 and 0 <= raw <= maximum and maximum > 0):
        raise out_of_range
    if scaled is not None:
        if not (_number(scaled) and 0 <= scaled <= 1):
            raise out_of_range
        if abs(scaled - raw / maximum) > 0.01:
            raise out_of_range
    else:
        scaled = round(raw / maximum, 4)
    return float(raw), float(maximum), float(scaled)


def _optional_bool(result: dict, key: str) -> bool | None:
    value = result.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise StatementRejected(
        _("The result's %(field)s must be true or false.") % {"field": key}
    )


def _optional_text(result: dict, key: str, max_chars: int) -> str | None:
    """A text field of the result: lists and objects are refused, not stored."""
    value = result.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > max_chars:
        raise StatementRejected(
            _("The result's %(field)s must be a text of at most %(limit)d characters.")
            % {"field": key, "limit": max_chars}
        )
    return value
