"""The load generator's arithmetic: what it sends and how it sums up a run. (Also the
small file the quick runs of the suite-running benchmarks run.)"""

from __future__ import annotations

from bench.support.load import Get, Tally


def test_a_get_is_one_keep_alive_request_with_its_cookie() -> None:
    raw = Get("My Orders", "/orders", "shop_session=abc").raw(8123)
    assert raw == (b"GET /orders HTTP/1.1\r\nHost: 127.0.0.1:8123\r\n"
                   b"Cookie: shop_session=abc\r\nAccept: text/html\r\n\r\n")


def test_a_get_without_a_cookie_sends_none() -> None:
    assert b"Cookie" not in Get("bare page", "/page").raw(80)


def test_a_run_is_summed_up_by_page_and_status() -> None:
    tally = Tally(seconds=2.0)
    tally.latencies_ms["My Orders"] += [float(ms) for ms in range(1, 101)]
    tally.latencies_ms["finances"] += [500.0]
    tally.statuses.update({200: 100, 303: 1})
    tally.errors = 2

    summary = tally.summary()

    assert summary["requests"] == 101
    assert summary["requests_per_s"] == 50.5
    assert summary["p50_ms"] == 51.0
    assert summary["p99_ms"] == 100.0
    assert summary["max_ms"] == 500.0
    assert summary["by_kind"]["finances"] == {"requests": 1, "p50_ms": 500.0, "p90_ms": 500.0,
                                              "p99_ms": 500.0, "max_ms": 500.0}
    assert (summary["not_200"], summary["errors"]) == (1, 2)


def test_an_empty_run_has_no_percentiles() -> None:
    summary = Tally(seconds=1.0).summary()
    assert (summary["requests"], summary["p99_ms"], summary["max_ms"]) == (0, None, None)
