"""An announcement through a channel that fails: the queue tries again, and
each member gets it exactly once."""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cohorts import messages
from cohorts.channels import Message
from tests.faults.conftest import clock_moves_past_retries, work_off_queue

pytestmark = pytest.mark.django_db


class FlakyChannel:
    """Refuses each address's first ``failures[address]`` sends (1 unless
    set), the way an SMTP server that is down refuses the connection."""

    failures: ClassVar[dict[str, int]] = {}
    tries: ClassVar[Counter[str]] = Counter()
    delivered: ClassVar[list[str]] = []

    def send(self, user, message: Message) -> None:
        self.tries[user.email] += 1
        if self.tries[user.email] <= self.failures.get(user.email, 1):
            raise ConnectionRefusedError("the channel is down")
        self.delivered.append(user.email)


@pytest.fixture
def flaky_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_RETRY_BASE_SECONDS = 30
    settings.TASK_WORKER_HEARTBEAT_SECONDS = 3600
    settings.COHORT_MESSAGE_CHANNEL = f"{__name__}.FlakyChannel"
    FlakyChannel.failures.clear()
    FlakyChannel.tries.clear()
    FlakyChannel.delivered.clear()
    yield FlakyChannel
    FlakyChannel.failures.clear()
    FlakyChannel.tries.clear()
    FlakyChannel.delivered.clear()


def test_an_announcement_through_a_failing_channel_reaches_each_member_once(
    two_districts, flaky_queue
):
    world = two_districts
    members = sorted(learner.email for learner in world.lahore_learners)
    flaky_queue.failures[members[1]] = 3  # down longer for this one
    messages.announce(
        world.lahore_cohort, "Workshop", "Saturday at 10.", world.lahore_coordinator
    )
    rounds = 0
    while DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists():
        work_off_queue()
        clock_moves_past_retries()
        rounds += 1
        assert rounds < 10, "the retries never ended"

    assert sorted(flaky_queue.delivered) == members  # each once, nobody else
    assert flaky_queue.tries == {members[0]: 2, members[1]: 4}
    sends = DBTaskResult.objects.filter(
        task_path=messages.send_announcement.module_path
    )
    assert {result.status for result in sends} == {TaskResultStatus.SUCCESSFUL}
    assert sends.count() == len(members)  # one task per member, retried in place
