"""Killed mid-run, started again on the same database: nothing acknowledged is lost and
nothing is half done.

Buyers cancel orders (the order closes, its refund starts and its coupon comes back,
in one transaction) and, through the API, sellers cancel shipped orders, from two
threads, while the test SIGKILLs the server after some answers have come back. The
server is started again on the same database (the SQLite file and its write-ahead log,
or PostgreSQL's), three times over. Every action that
was answered 303/200 is there; every order is either untouched or wholly cancelled
(Closed, every item cancelled, exactly one refund of what was paid, coupon returned),
never in between.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import httpx

from flowspec.contract.control import OrderState
from tests.support.live_clients import client, control, csrf_of

CYCLES = 3
ORDERS_PER_KIND = 6  # per cycle
KILL_AFTER_ACKS = (2, 5, 8)  # acknowledged actions before the kill, cycle by cycle


@dataclass
class Work:
    """One action to do: cancel ``number`` in scenario ``token``, as buyer or seller."""

    token: str
    number: str
    kind: str  # "buyer" (the Cancel order form) | "seller" (API: seller cancels)


@dataclass
class Run:
    acknowledged: list[Work] = field(default_factory=list)
    cut_off: list[Work] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lanes_left: int = 1
    lock: threading.Lock = field(default_factory=threading.Lock)
    enough: threading.Event = field(default_factory=threading.Event)


def worker(base_url: str, jobs: list[Work], run: Run, kill_after: int) -> None:
    """Send the jobs one by one until the server stops answering."""
    try:
        with client(base_url) as http:
            for job in jobs:
                try:
                    if job.kind == "buyer":
                        link = http.post(f"/api/scenarios/{job.token}/sign-in-links",
                                         json={"role": "buyer"}).json()["url"]
                        http.get(link)
                        response = http.post(f"/orders/{job.number}/cancel", data={
                            "reason": "changed_mind", "csrf_token": csrf_of(http, "/orders")})
                        done = response.status_code == 303
                    else:
                        response = http.post(
                            f"/api/scenarios/{job.token}/orders/{job.number}/seller",
                            json={"action": "cancel"})
                        done = response.status_code == 200
                except httpx.TransportError:
                    with run.lock:
                        run.cut_off.append(job)
                    return
                with run.lock:
                    if not done:
                        run.errors.append(f"{job}: {response.status_code} {response.text[:300]}")
                        return
                    run.acknowledged.append(job)
                    if len(run.acknowledged) >= kill_after:
                        run.enough.set()
    except Exception as error:  # noqa: BLE001 (reported by the test thread)
        with run.lock:
            run.errors.append(repr(error))
    finally:
        with run.lock:
            run.lanes_left -= 1
            if run.lanes_left <= 0:
                run.enough.set()


def check_whole(order: OrderState) -> str:
    """"untouched" or "cancelled"; anything in between fails the test."""
    items_cancelled = [item.cancelled for item in order.items]
    if order.status == "Closed":
        assert all(items_cancelled), order
        assert len(order.refunds) == 1, order
        assert order.refunds[0].amount_cents == order.paid_cents, order
        assert order.cancellation.status in ("immediate", "by_seller"), order
        assert all(c.wallet_status == "Returned" for c in order.coupons), order
        return "cancelled"
    assert order.status in ("Payment being verified", "Awaiting delivery"), order
    assert not any(items_cancelled), order
    assert order.refunds == [] and order.cancellation is None, order
    assert all(c.wallet_status == "Used" for c in order.coupons), order
    return "untouched"


def test_acknowledged_actions_survive_a_kill_and_nothing_is_half_done(storefront_process):
    base_url = storefront_process.start()
    database_file = storefront_process.sqlite_file  # None on PostgreSQL
    if database_file:
        [(mode,)] = storefront_process.sql("PRAGMA journal_mode")
        assert mode == "wal"
    everything: list[Work] = []
    acknowledged: list[Work] = []
    killed_with_wal = []
    for cycle in range(CYCLES):
        shop = control(base_url)
        buyer_jobs = [shop.start_scenario("platform-coupon") for _ in range(ORDERS_PER_KIND)]
        seller_jobs = [shop.start_scenario("marked-shipped") for _ in range(ORDERS_PER_KIND)]
        lanes = [
            [Work(w.token, w.orders[0].number, "buyer") for w in buyer_jobs],
            [Work(w.token, w.orders[0].number, "seller") for w in seller_jobs],
        ]
        everything += lanes[0] + lanes[1]
        run = Run(lanes_left=len(lanes))
        threads = [threading.Thread(target=worker,
                                    args=(base_url, lane, run, KILL_AFTER_ACKS[cycle]))
                   for lane in lanes]
        for thread in threads:
            thread.start()
        assert run.enough.wait(timeout=120)
        storefront_process.kill()
        for thread in threads:
            thread.join(timeout=120)
        killed_with_wal.append(bool(database_file)
                               and database_file.with_name("shop.db-wal").exists())
        acknowledged += run.acknowledged
        print(f"cycle {cycle + 1}: {len(run.acknowledged)} acknowledged, {len(run.cut_off)} cut"
              f" off by the kill, WAL left behind: {killed_with_wal[-1]}")
        assert run.errors == []
        assert len(run.acknowledged) >= KILL_AFTER_ACKS[cycle]

        base_url = storefront_process.start()  # same database, a new process
        if database_file:
            [(mode,)] = storefront_process.sql("PRAGMA journal_mode")
            assert mode == "wal"
        seen = {}
        for job in everything:
            orders = {o.number: o for o in control(base_url).scenario_state(job.token).orders}
            seen[(job.token, job.number)] = check_whole(orders[job.number])
        for job in acknowledged:
            assert seen[(job.token, job.number)] == "cancelled", job
    if database_file:
        assert any(killed_with_wal), "the kill should leave a write-ahead log to recover from"
    # and the shop goes on working on the recovered file
    untouched = [job for job in everything if job.kind == "buyer"
                 and (job.token, job.number) not in {(a.token, a.number) for a in acknowledged}]
    if untouched:
        run = Run()
        worker(base_url, untouched[:1], run, kill_after=1)
        assert run.errors == []
        assert run.acknowledged == untouched[:1]
