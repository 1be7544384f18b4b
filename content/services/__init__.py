"""Every write about H5P activities: importing packages, recording xAPI results.

``packages``: H5P packages in and out, and their stored files; ``statements``:
a learner's xAPI statements, checked and recorded; ``failures``: activities that
did not start for a learner; ``approvals``: packages that need new libraries,
held until a programme manager approves or declines them.
"""

from .approvals import (
    ApprovalRefused,
    approve_held_package,
    decline_held_package,
    may_decide,
    send_package_for_approval,
)
from .failures import MAX_FAILURE_REPORT_BYTES, record_start_failure
from .packages import (
    activity_file_name,
    delete_activity_files,
    delete_files_under,
    export_h5p_package,
    import_h5p_package,
    library_file_name,
    rejection_message,
)
from .statements import (
    ALLOWED_VERBS,
    MAX_STATEMENT_BYTES,
    STATEMENT_JSON_LIMITS,
    StatementRejected,
    record_xapi_statement,
)

__all__ = [
    "ALLOWED_VERBS",
    "ApprovalRefused",
    "approve_held_package",
    "decline_held_package",
    "may_decide",
    "send_package_for_approval",
    "MAX_FAILURE_REPORT_BYTES",
    "MAX_STATEMENT_BYTES",
    "STATEMENT_JSON_LIMITS",
    "StatementRejected",
    "activity_file_name",
    "delete_activity_files",
    "delete_files_under",
    "export_h5p_package",
    "import_h5p_package",
    "library_file_name",
    "record_start_failure",
    "record_xapi_statement",
    "rejection_message",
]
