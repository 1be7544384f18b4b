"""Django's Redis cache, keeping its redis-py clients instead of making one per call.

Django's backend builds a new ``redis.Redis`` for every cache call, and filling
that client's table of response callbacks costs more than a small GET's round
trip on loopback (measured: 0.1 ms of the verification look-up's 2 ms). The
connection pools were already shared; now the clients are too. The backend also
hands its client to code that needs what the cache API cannot say (a hash, a
script): see ``certificates.verification``.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # by id of the pool; pools live as long as this object

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def redis_client(self):
        """The redis-py client of the server that takes writes (the first)."""
        return self._cache.get_client(write=True)
