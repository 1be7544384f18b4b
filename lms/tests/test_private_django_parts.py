"""Two hot paths lean on parts of Django that are not public API, because the
verification benchmark showed they pay (README, Performance): ``lms.cache.RedisCache``
keeps Django's redis-py clients (``RedisCacheClient._get_connection_pool`` and
``_client``), and ``certificates.verification`` reads a certificate row with the
field converters Django would apply (``Field.get_col``,
``get_db_converters`` and ``Model.from_db``). They were written and measured
against Django 5.2. An upgrade must look at both again (and run
``make bench``) before this test is changed to the new version."""

import django
from django.core.cache.backends.redis import RedisCacheClient
from django.db import connection

from certificates.models import Certificate


def test_the_private_parts_were_checked_against_this_django():
    assert django.VERSION[:2] == (5, 2), (
        "lms/cache.py and certificates/verification.py use Django internals "
        "checked against 5.2: check them on this version, then update this test"
    )


def test_the_private_names_still_exist():
    assert callable(RedisCacheClient._get_connection_pool)
    assert hasattr(RedisCacheClient(["redis://127.0.0.1:6379/15"]), "_client")
    field = Certificate._meta.get_field("issued_on")
    column = field.get_col(Certificate._meta.db_table)
    assert isinstance(connection.ops.get_db_converters(column), list)
    assert isinstance(column.get_db_converters(connection), list)
    assert callable(Certificate.from_db)
