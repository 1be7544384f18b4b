"""Background work for H5P, run by the task worker.

Each task is declared beside the function it runs; this module only names them."""

from .notifications import email_package_decision

__all__ = ["email_package_decision"]
