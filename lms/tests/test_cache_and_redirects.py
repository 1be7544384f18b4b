import pytest
from wagtail.contrib.redirects.models import Redirect

pytestmark = pytest.mark.django_db


def test_redis_cache_keeps_one_client_and_works(redis_cache):
    assert redis_cache.redis_client() is redis_cache.redis_client()
    assert redis_cache._cache.get_client() is redis_cache._cache.get_client()
    redis_cache.set("greeting", {"ur": "سلام"})
    assert redis_cache.get("greeting") == {"ur": "سلام"}
    assert redis_cache.add("hits", 1)
    assert redis_cache.incr("hits") == 2
    assert redis_cache.get("hits") == 2
    redis_cache.delete("hits")
    assert redis_cache.get("hits", "gone") == "gone"


def test_editors_redirects_apply_to_addresses_no_view_answers(client, home_page):
    Redirect.objects.create(old_path="/old-courses", redirect_link="/courses/")
    response = client.get("/old-courses/")
    assert response.status_code == 301
    assert response["Location"] == "/courses/"


def test_a_404_from_one_of_our_views_is_its_answer_not_a_redirect(
    client, home_page, django_assert_num_queries
):
    code = "K7QM-3XD9-P2RT-W8HC"
    Redirect.objects.create(old_path=f"/verify/{code}", redirect_link="/courses/")
    with django_assert_num_queries(1):  # the look-up, and no redirect queries
        response = client.get(f"/verify/{code}/")
    assert response.status_code == 404
