"""Files follow their rows: an H5P activity's content goes when the activity does,
a held package's file when the held package does."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction

from .models import H5PActivity, H5PHeldPackage
from .services import delete_activity_files


def delete_files_of_deleted_activity(
    sender: type[H5PActivity], instance: H5PActivity, **kwargs: Any
) -> None:
    """Remove the content files of an activity however it was deleted (the admin,
    a command, a cascade, the shell), once the deletion is committed: a deletion
    that is rolled back keeps its files. Its libraries are shared and stay."""
    transaction.on_commit(partial(delete_activity_files, instance))


def delete_file_of_deleted_held_package(
    sender: type[H5PHeldPackage], instance: H5PHeldPackage, **kwargs: Any
) -> None:
    """Remove a held package's file however its row goes (most often with its
    programme, deleted in the admin), once that is committed. A decided
    package's file is gone already; deleting a missing file does nothing."""
    transaction.on_commit(partial(default_storage.delete, instance.storage_name))
