"""The awards section of the Wagtail admin, for programme managers."""

from wagtail import hooks

from .viewsets import AwardsGroup


@hooks.register("register_admin_viewset")
def register_awards_group():
    return AwardsGroup()
