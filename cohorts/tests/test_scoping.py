"""Who sees which learners, enrolments and cohorts: each kind of coordinator."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from cohorts import scoping
from courses.models import Enrolment
from lms.accounts import services as accounts

pytestmark = pytest.mark.django_db


def ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_a_district_coordinator_sees_only_learners_of_their_district(two_districts):
    world = two_districts
    user = world.lahore_coordinator
    lahore_people = {u.pk for u in [*world.lahore_learners, world.self_paced]}
    assert ids(scoping.learners_in_scope(user)) == lahore_people
    assert ids(scoping.cohorts_in_scope(user)) == {world.lahore_cohort.pk}
    enrolments = scoping.enrolments_in_scope(user)
    assert set(enrolments.values_list("user_id", flat=True)) == lahore_people
    for learner in world.karachi_learners:
        assert not scoping.can_see_learner(user, learner)
    assert not scoping.can_see_learner(user, world.outsider)
    assert scoping.can_see_learner(user, world.lahore_learners[0])
    assert not scoping.can_see_cohort(user, world.karachi_cohort)


def test_the_other_district_coordinator_sees_the_mirror_image(two_districts):
    world = two_districts
    user = world.karachi_coordinator
    assert ids(scoping.learners_in_scope(user)) == {
        u.pk for u in world.karachi_learners
    }
    assert ids(scoping.cohorts_in_scope(user)) == {world.karachi_cohort.pk}


def test_a_province_coordinator_sees_their_province(two_districts, make_coordinator):
    world = two_districts
    user = make_coordinator(world.programme, province=world.lahore.province)
    assert ids(scoping.learners_in_scope(user)) == {
        u.pk for u in [*world.lahore_learners, world.self_paced]
    }
    assert ids(scoping.cohorts_in_scope(user)) == {world.lahore_cohort.pk}


def test_a_programme_coordinator_sees_the_programme_only(
    two_districts, make_coordinator
):
    world = two_districts
    user = make_coordinator(world.programme)
    everyone = {
        u.pk
        for u in [*world.lahore_learners, *world.karachi_learners, world.self_paced]
    }
    assert ids(scoping.learners_in_scope(user)) == everyone
    assert world.outsider.pk not in ids(scoping.learners_in_scope(user))
    assert ids(scoping.cohorts_in_scope(user)) == {
        world.lahore_cohort.pk,
        world.karachi_cohort.pk,
    }
    assert not scoping.enrolments_in_scope(user).filter(user=world.outsider).exists()


def test_a_cohort_coordinator_sees_that_cohort_both_ways_of_naming_them(
    two_districts, make_learner, make_coordinator
):
    world = two_districts
    named = make_learner()
    world.karachi_cohort.coordinators.add(named)
    assigned = make_coordinator(world.programme, cohort=world.karachi_cohort)
    for user in (named, assigned):
        assert ids(scoping.learners_in_scope(user)) == {
            u.pk for u in world.karachi_learners
        }
        assert ids(scoping.cohorts_in_scope(user)) == {world.karachi_cohort.pk}
        assert set(
            scoping.enrolments_in_scope(user).values_list("user_id", flat=True)
        ) == {u.pk for u in world.karachi_learners}


def test_managers_and_superusers_see_everything_and_others_nothing(
    two_districts, make_learner, django_user_model
):
    manager = make_learner()
    manager.groups.add(Group.objects.get(name=accounts.PROGRAMME_MANAGERS_GROUP))
    root = django_user_model.objects.create_superuser("root@example.org", "x" * 20)
    for user in (manager, root):
        assert (
            scoping.learners_in_scope(user).count() == django_user_model.objects.count()
        )
        assert scoping.enrolments_in_scope(user).count() == Enrolment.objects.count()
        assert scoping.can_see_learner(user, two_districts.outsider)
    nobody = make_learner()
    nobody.groups.add(Group.objects.get(name=accounts.COORDINATORS_GROUP))
    assert not scoping.learners_in_scope(nobody).exists()
    assert not scoping.enrolments_in_scope(nobody).exists()
    assert not scoping.cohorts_in_scope(nobody).exists()
    assert not scoping.can_see_learner(nobody, two_districts.lahore_learners[0])


def test_enrolments_in_scope_narrows_a_given_queryset(two_districts):
    world = two_districts
    given = Enrolment.objects.filter(user=world.karachi_learners[0])
    assert not scoping.enrolments_in_scope(world.lahore_coordinator, given).exists()
    assert scoping.enrolments_in_scope(world.karachi_coordinator, given).count() == 1


def test_an_inactive_coordinator_sees_nothing(two_districts):
    user = two_districts.lahore_coordinator
    user.is_active = False
    user.save()
    assert not scoping.learners_in_scope(user).exists()


def test_may_enrol_from_keeps_a_district_coordinator_to_their_district(two_districts):
    world = two_districts
    user = world.lahore_coordinator
    assert scoping.may_enrol_from(user, world.lahore_cohort, world.lahore)
    assert not scoping.may_enrol_from(user, world.lahore_cohort, world.karachi)
    assert not scoping.may_enrol_from(user, world.karachi_cohort, world.karachi)


def test_scope_queries_do_not_grow_with_learners(
    two_districts, make_learner, django_assert_max_num_queries
):
    user = two_districts.lahore_coordinator
    for _ in range(5):
        make_learner()
    with django_assert_max_num_queries(5):
        list(scoping.learners_in_scope(user))
