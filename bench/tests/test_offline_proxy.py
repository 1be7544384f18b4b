"""The offline benchmark's proxy counts what the server sends and, once cut,
lets nothing through (so "0 bytes offline" is measured, not assumed)."""

import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.offline import CountingProxy

BODY = b"x" * 5000


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the standard library's name
        self.send_response(200)
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()


def test_the_proxy_counts_every_byte_sent_back_and_refuses_once_cut(server):
    proxy = CountingProxy(0, server)
    url = f"http://127.0.0.1:{proxy.port}/"
    for _request in range(2):
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            assert response.read() == BODY
    # Bodies and the status lines and headers.
    assert 2 * len(BODY) < proxy.bytes_to_browser < 2 * len(BODY) + 1000

    proxy.cut()
    counted = proxy.bytes_to_browser
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        urllib.request.urlopen(url, timeout=5)  # noqa: S310
    assert proxy.bytes_to_browser == counted
    proxy.close()
