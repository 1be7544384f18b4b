"""The accessibility statement reads in Urdu on the Urdu site, every line."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_the_zoom_line_with_a_percent_sign_is_in_urdu(client):
    # {% trans %} looks a text with "%" up as "%%": the catalogue must hold it so.
    with translation.override("ur"):
        url = reverse("accessibility_statement")
    html = client.get(url).content.decode()
    assert "Pages work at 200% zoom" not in html
    assert "صفحات چھوٹے فون پر 200% زوم" in html
