"""Does the storefront work on PostgreSQL? Cancel orders through its pages and API.

``python -m bench.postgresql_check --database postgresql+psycopg://USER:PASSWORD@127.0.0.1/DB``
(or with ``SHOP_DATABASE_URL`` set). See docs/postgresql.md for setting the database up.

Starts the storefront on a free loopback port against that database and, as a shopper
and a trainer would:

1. creates a ``payment-being-verified`` scenario (control API), signs in as its buyer
   (trainer link), cancels the order on the cancel page: the order is Closed and a
   refund has started;
2. creates an ``awaiting-shipment`` scenario, asks to cancel (Awaiting cancellation), the
   seller accepts through the API: Closed, refunded;
3. sends two cancellations of one order at the same moment from two signed-in sessions:
   exactly one is taken (PostgreSQL row locks, ``SELECT … FOR UPDATE``), the order holds
   one cancellation.

Prints each check and writes ``bench/results/postgresql_check.{json,md}``. It is not part
of CI: it needs a PostgreSQL server.
"""

from __future__ import annotations

import argparse
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from time import perf_counter

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.support.common import (
    Figure,
    add_quick_option,
    package_version,
    results_folder,
    write_results,
)
from flows.run.live_server import free_port, serve, storefront_command
from flowspec.contract.control import OrderState
from flowspec.control_client import ControlClient, ControlError
from tests.support.forms import csrf_from

NAME = "postgresql_check"
REASON = "ordered_by_mistake"


class CheckFailed(AssertionError):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def order_state(api: ControlClient, token: str, number: str) -> OrderState:
    return next(order for order in api.scenario_state(token).orders if order.number == number)


def signed_in(base_url: str, token: str) -> httpx.Client:
    """A browser-like client signed in as the scenario's buyer (a one-time sign-in link)."""
    client = httpx.Client(base_url=base_url, follow_redirects=False, timeout=15)
    answer = client.get(ControlClient(base_url).sign_in_link(token, "buyer").url)
    expect(answer.status_code in (302, 303, 307), f"trainer sign-in answered {answer.status_code}")
    expect(client.get("/orders").status_code == 200, "My Orders is not shown after sign-in")
    return client


@contextmanager
def buyer(base_url: str, token: str) -> Iterator[httpx.Client]:
    client = signed_in(base_url, token)
    try:
        yield client
    finally:
        client.close()


def cancel_form(client: httpx.Client, number: str) -> str:
    page = client.get(f"/orders/{number}/cancel")
    expect(page.status_code == 200, f"cancel page answered {page.status_code}")
    return csrf_from(page.text, "the cancel page")


def submit_cancel(client: httpx.Client, number: str, csrf: str) -> httpx.Response:
    return client.post(f"/orders/{number}/cancel", data={"reason": REASON, "csrf_token": csrf})


def check_immediate(base_url: str, api: ControlClient, database_url: str) -> str:
    scenario = api.start_scenario("payment-being-verified")
    number = scenario.orders[0].number
    with buyer(base_url, scenario.token) as client:
        answer = submit_cancel(client, number, cancel_form(client, number))
        expect(answer.status_code == 303, f"cancel answered {answer.status_code}")
        details = client.get(f"/orders/{number}").text
        expect("Closed" in details, "the order page does not say Closed")
    order = order_state(api, scenario.token, number)
    expect(order.status == "Closed", f"status is {order.status}")
    expect(bool(order.refunds), "no refund was started")
    return f"order {number}: Closed, refund of {order.refunds[0].amount_cents} cents started"


def check_seller_accepts(base_url: str, api: ControlClient, database_url: str) -> str:
    scenario = api.start_scenario("awaiting-shipment")
    token, number = scenario.token, scenario.orders[0].number
    with buyer(base_url, token) as client:
        answer = submit_cancel(client, number, cancel_form(client, number))
        expect(answer.status_code == 303, f"cancel request answered {answer.status_code}")
    expect(order_state(api, token, number).status == "Awaiting cancellation",
           "the request did not put the order in Awaiting cancellation")
    order = api.seller_action(token, number, "accept")
    expect(order.status == "Closed", f"after the seller accepted, status is {order.status}")
    expect(bool(order.refunds), "no refund after the seller accepted")
    return f"order {number}: Awaiting cancellation → seller accepts → Closed, refunded"


def cancellations_recorded(database_url: str, token: str, number: str) -> int:
    """Rows in ``cancellations`` for that order, counted in the database itself."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(
                "SELECT count(*) FROM cancellations c JOIN orders o ON o.id = c.order_id "
                "JOIN scenarios s ON s.id = o.scenario_id "
                "WHERE s.token = :token AND o.number = :number"
            ), {"token": token, "number": number}).scalar_one())
    finally:
        engine.dispose()


def check_race(base_url: str, api: ControlClient, database_url: str) -> str:
    scenario = api.start_scenario("awaiting-shipment")
    token, number = scenario.token, scenario.orders[0].number
    clients = [signed_in(base_url, token), signed_in(base_url, token)]
    forms = [cancel_form(client, number) for client in clients]
    barrier = threading.Barrier(len(clients))
    codes: list[int] = []

    def send(client: httpx.Client, csrf: str) -> None:
        barrier.wait()
        codes.append(submit_cancel(client, number, csrf).status_code)

    threads = [threading.Thread(target=send, args=pair) for pair in zip(clients, forms,
                                                                         strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    for client in clients:
        client.close()
    order = order_state(api, token, number)
    expect(sorted(codes)[0] == 303 and sorted(codes)[1] != 303,
           f"two simultaneous cancels answered {sorted(codes)}: exactly one should succeed")
    expect(order.status == "Awaiting cancellation", f"status is {order.status}")
    rows = cancellations_recorded(database_url, token, number)
    expect(rows == 1, f"{rows} cancellation rows for one order")
    return (f"order {number}: two simultaneous cancel requests answered {sorted(codes)}; "
            f"{rows} cancellation row in the database")


def server_version(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SHOW server_version")).scalar())
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.postgresql_check",
                                     description=__doc__)
    parser.add_argument("--database", default=os.environ.get("SHOP_DATABASE_URL"),
                        help="SQLAlchemy URL (default: SHOP_DATABASE_URL)")
    add_quick_option(parser)  # already as small as it gets: the same checks
    args = parser.parse_args(argv)
    if not args.database or make_url(args.database).get_backend_name() != "postgresql":
        parser.error("give a postgresql+psycopg://… URL with --database or SHOP_DATABASE_URL")
    started_at = datetime.now(UTC).replace(microsecond=0)
    url = make_url(args.database)
    shown_url = url.render_as_string(hide_password=True)
    version = server_version(args.database)
    print(f"PostgreSQL {version} at {url.host}:{url.port or 5432}, database {url.database}")

    results: list[tuple[str, bool, str, float]] = []
    port = free_port()
    begun = perf_counter()
    with serve(storefront_command(port, args.database), f"http://127.0.0.1:{port}",
               timeout_s=60) as base_url:
        api = ControlClient(base_url, timeout=15)
        first_start = perf_counter() - begun
        for title, check in (
            ("cancel while payment is being verified (pages)", check_immediate),
            ("ask the seller, seller accepts (pages + API)", check_seller_accepts),
            ("two simultaneous cancels of one order", check_race),
        ):
            started = perf_counter()
            try:
                outcome, ok = check(base_url, api, args.database), True
            except (CheckFailed, ControlError, httpx.HTTPError, StopIteration) as error:
                outcome, ok = f"FAILED: {error}", False
            results.append((title, ok, outcome, perf_counter() - started))
            print(f"  {'✓' if ok else '✗'} {title}: {outcome}", flush=True)

    figures = [
        Figure("PostgreSQL server", version),
        Figure("driver", f"psycopg {package_version('psycopg')} "
                         f"(binary {package_version('psycopg-binary')})"),
        Figure("storefront start until it answers (creates schema and demo on a new database)",
               round(first_start, 2), "s"),
        *[Figure(title, "works" if ok else "FAILED", "", "works", ok)
          for title, ok, _, _ in results],
    ]
    notes = [outcome for _, _, outcome, _ in results]
    details = {
        "database": shown_url.replace(url.host or "", "<host>") if url.host not in (
            "127.0.0.1", "localhost") else shown_url,
        "checks": [{"title": t, "ok": ok, "outcome": o, "seconds": round(s, 2)}
                   for t, ok, o, s in results],
        "sqlalchemy": package_version("sqlalchemy"),
    }
    write_results(NAME, "Storefront on PostgreSQL: cancelling orders works", figures,
                  details, notes, started_at, folder=results_folder(args.quick))
    return 0 if all(ok for _, ok, _, _ in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
