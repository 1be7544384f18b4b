"""The licences a trainer may put a course under, and where each is explained."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Licence(models.TextChoices):
    # Creative Commons' own short names: they are names, not translated.
    CC_BY_SA_4 = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC_BY_4 = "cc-by-4.0", "CC BY 4.0"
    CC_BY_NC_SA_4 = "cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0"
    CC_BY_NC_4 = "cc-by-nc-4.0", "CC BY-NC 4.0"
    CC_BY_ND_4 = "cc-by-nd-4.0", "CC BY-ND 4.0"
    CC_BY_NC_ND_4 = "cc-by-nc-nd-4.0", "CC BY-NC-ND 4.0"
    CC0_1 = "cc0-1.0", _("CC0 1.0 (public domain)")
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")


DEFAULT_LICENCE = Licence.CC_BY_SA_4

_LICENCE_URLS = {
    Licence.CC_BY_SA_4: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_4: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_NC_SA_4: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    Licence.CC_BY_NC_4: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC_BY_ND_4: "https://creativecommons.org/licenses/by-nd/4.0/",
    Licence.CC_BY_NC_ND_4: "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    Licence.CC0_1: "https://creativecommons.org/publicdomain/zero/1.0/",
}


def licence_url(licence: str) -> str:
    """The licence's public deed, "" for "All rights reserved"."""
    return _LICENCE_URLS.get(licence, "")


def is_open(licence: str) -> bool:
    return licence in _LICENCE_URLS
