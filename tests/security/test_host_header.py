"""The Host check against a real storefront process, over raw sockets: an HTTP client
library would tidy the headers up (one Host, a path-only request target) before sending.

A request is served only if it names one of the shop's hosts exactly once, on the port
the server listens on; an absolute request target names the host itself, whatever Host
header comes with it.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from mock_site.web.security import HostCheck, parse_host
from tests.support.databases import DatabaseServer
from tests.support.storefront_process import StorefrontProcess, running_storefront


@pytest.fixture(scope="module")
def shop(database_server: DatabaseServer) -> Iterator[StorefrontProcess]:
    with running_storefront(database_server) as shop:
        yield shop


def send(shop: StorefrontProcess, head: str, body: bytes = b"") -> tuple[int, bytes]:
    """Send ``head`` (request line and headers, ``\\n``-separated) as it is, then ``body``;
    the status and the whole answer."""
    address = urlsplit(shop.base_url)
    request = (head.strip().replace("\n", "\r\n").encode("latin-1")
               + b"\r\nConnection: close\r\n\r\n" + body)
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1]), answer


def here(shop: StorefrontProcess) -> str:
    return urlsplit(shop.base_url).netloc  # 127.0.0.1:<port>


def test_one_loopback_host_is_served(shop):
    port = urlsplit(shop.base_url).port
    for host in (here(shop), f"localhost:{port}", f"LOCALHOST:{port}"):
        assert send(shop, f"GET /login HTTP/1.1\nHost: {host}")[0] == 200, host


def test_two_host_headers_are_refused_even_with_the_loopback_one_first(shop):
    for second in ("evil.example", here(shop)):
        status, answer = send(shop, f"GET /login HTTP/1.1\nHost: {here(shop)}\nHost: {second}")
        assert status == 400, second
        assert b"Invalid host header" in answer and b"nosniff" in answer


def test_an_absolute_request_target_names_the_host(shop):
    loopback = f"Host: {here(shop)}"
    for target in ("http://evil.example/login", "http://evil.example:80/login",
                   "https://evil.example/login", f"http://evil.example/@{here(shop)}/login",
                   "ftp://evil.example/login"):
        assert send(shop, f"GET {target} HTTP/1.1\n{loopback}")[0] == 400, target
    # its own address, absolute, is its own address
    assert send(shop, f"GET http://{here(shop)}/login HTTP/1.1\n{loopback}")[0] == 200


@pytest.mark.parametrize("host", [
    "evil.example", "127.0.0.1.evil.example", "127.0.0.1", "127.0.0.1:1",
    "127.0.0.1:99999", "127.0.0.1:80x", "127.0.0.1:{port}@evil.example", "127.0.0.1:{port}/x",
    "127.0.0.1 :{port}", "", "[::1", "evil.example, 127.0.0.1:{port}",
])
def test_a_host_that_is_not_an_allowed_loopback_name_and_port_is_refused(shop, host):
    host = host.format(port=urlsplit(shop.base_url).port)
    status, answer = send(shop, f"GET /login HTTP/1.1\nHost: {host}")
    assert status == 400, answer[:300]


def test_a_request_without_a_host_is_refused(shop):
    assert send(shop, "GET /login HTTP/1.1")[0] == 400
    assert send(shop, "GET /login HTTP/1.0")[0] == 400


def test_a_refused_host_changes_nothing(shop):
    before = shop.sql("SELECT count(*) FROM scenarios")
    body = b'{"name": "awaiting-shipment"}'
    head = (f"POST /api/scenarios HTTP/1.1\nHost: {here(shop)}\nHost: evil.example\n"
            f"Content-Type: application/json\nContent-Length: {len(body)}")
    assert send(shop, head, body)[0] == 400
    assert send(shop, f"POST http://evil.example/api/scenarios HTTP/1.1\nHost: {here(shop)}\n"
                      f"Content-Type: application/json\nContent-Length: {len(body)}", body)[0] == 400
    assert shop.sql("SELECT count(*) FROM scenarios") == before


# --- the check itself ------------------------------------------------------------------

@pytest.mark.parametrize(("value", "parsed"), [
    (b"localhost:8000", ("localhost", 8000)),
    (b"Shop.Example", ("shop.example", None)),
    (b"[::1]:8000", ("[::1]", 8000)),
    (b"localhost:0", None),
    (b"localhost:65536", None),
    (b"user@localhost", None),
    (b"local\xe9host", None),
    (b"localhost:8000 ", None),
])
def test_parse_host(value, parsed):
    assert parse_host(value) == parsed


def scope(*hosts: bytes, server: tuple[str, int] = ("127.0.0.1", 8000)) -> dict:
    return {"type": "http", "scheme": "http", "server": server,
            "headers": [(b"host", host) for host in hosts]}


def test_the_check_allows_domains_and_pins_the_loopback_port_unless_behind_a_proxy():
    check = HostCheck(lambda *_: None, ["127.0.0.1", "localhost", "*.shop.example"])
    assert check.allows(scope(b"localhost:8000"))
    assert not check.allows(scope(b"localhost:8001"))
    assert not check.allows(scope(b"localhost"))  # port 80
    assert check.allows(scope(b"eu.shop.example"))  # not loopback: any port
    assert not check.allows(scope(b"shop.example.evil"))
    assert not check.allows(scope(b"localhost:8000", b"localhost:8000"))
    assert not check.allows(scope())
    behind_a_proxy = HostCheck(lambda *_: None, ["localhost"], pin_loopback_port=False)
    assert behind_a_proxy.allows(scope(b"localhost"))
