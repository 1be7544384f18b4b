"""The cohorts section of the Wagtail admin."""

from wagtail import hooks

from .viewsets import CohortsGroup


@hooks.register("register_admin_viewset")
def register_cohorts_group():
    return CohortsGroup()
