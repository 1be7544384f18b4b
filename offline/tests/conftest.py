from courses.tests.conftest import make_bank, make_quiz  # noqa: F401
from lms.tests.limit_fixtures import counting_cache, set_limit  # noqa: F401
