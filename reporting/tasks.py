"""Background work for the dashboard, run by the task worker.

The task is declared beside the function it runs (``summaries.py``); this
module only names it, as ``certificates/tasks.py`` does."""

from .summaries import refresh_dashboard_summaries

__all__ = ["refresh_dashboard_summaries"]
