from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from lms.accounts import services as accounts


@pytest.fixture
def programme(home_page):
    from courses import authoring
    from courses.models import ProgrammePage

    return authoring.create_programme(
        home_page, "NTTP", "nttp", audience=ProgrammePage.Audience.TEACHERS
    )


@pytest.fixture
def member_of(make_learner):
    """Return a function: a new account in the named groups."""

    def make(*group_names: str, **kwargs):
        user = make_learner(**kwargs)
        for name in group_names:
            user.groups.add(Group.objects.get(name=name))
        return user

    return make


@pytest.fixture
def manager(member_of):
    return member_of(accounts.PROGRAMME_MANAGERS_GROUP, email="manager@example.org")


@pytest.fixture
def teacher(make_learner):
    return make_learner(
        email="ayesha@example.org",
        certificate_name_en="Ayesha Bibi",
        certificate_name_ur="عائشہ بی بی",
    )


@pytest.fixture
def award(programme):
    from awards.models import Award

    return Award.objects.create(
        name_en="Teaching Excellence Award — district level, 2026",
        name_ur="تدریسی فضیلت ایوارڈ — ضلعی سطح، 2026",
        description_en="For a teacher whose classroom changed her school.",
        description_ur="اس استاد کے لیے جس کی جماعت نے اس کا اسکول بدل دیا۔",
        level="district",
        category="innovation",
        year=2026,
        programme=programme,
    )


@pytest.fixture
def issued(award, teacher, manager):
    from awards import services

    return services.issue_award(
        award,
        teacher,
        actor=manager,
        citation_en="Started a reading corner in every classroom.",
        citation_ur="ہر جماعت میں مطالعے کا گوشہ بنایا۔",
    ).issued_award
