"""Files follow their rows: an H5P activity's content goes when the activity does."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction

from .models import H5PActivity
from .services import delete_activity_files


def delete_files_of_deleted_activity(
    sender: type[H5PActivity], instance: H5PActivity, **kwargs: Any
) -> None:
    """Remove the content files of an activity however it was deleted (the admin,
    a command, a cascade, the shell), once the deletion is committed: a deletion
    that is rolled back keeps its files. Its libraries are shared and stay."""
    transaction.on_commit(partial(delete_activity_files, instance))
