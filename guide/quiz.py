"""Training questions about customer situations, generated from the rules.

Each question is built from a random situation and answered by ``domain``
at the moment it is made, so the quiz can never disagree with the storefront. The
same seed always gives the same quiz (tests pin one); each session draws its own.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass

from domain.cancellation import (
    ROUTE_EXPLANATIONS,
    CancelRoute,
    cancel_route,
    shows_cancel_button,
)
from domain.coupons import CouponKind, amounts_paid, coupon_comes_back
from domain.money import format_cents
from domain.payments import REFUND_WINDOWS, PaymentMethod, refund_window
from domain.statuses import OrderStatus
from domain.wording import refund_days_explained

YES = "Yes"
NO = "No"


@dataclass(frozen=True)
class Question:
    kind: str
    situation: str
    prompt: str
    options: tuple[str, ...]
    answer: str
    explanation: str

    def is_right(self, choice: str | None) -> bool:
        return choice == self.answer


# Short answer wordings for each route; the explanation shown after answering is the
# rule module's own.
ROUTE_CHOICES: dict[CancelRoute, str] = {
    CancelRoute.IMMEDIATE: "They cancel it themselves and it closes at once",
    CancelRoute.SELLER_DECIDES: "Cancel order sends a request that the seller answers",
    CancelRoute.MESSAGE_SELLER: "Cancel order is gone; they write to the seller instead",
    CancelRoute.REQUEST_PENDING: "A request is already waiting for the seller's answer",
    CancelRoute.NOT_POSSIBLE: "It cannot be cancelled any more",
}
NOBODY = "Nobody: it happens at once"
SELLER = "The seller"
SUPPORT = "Marketplace support"

CUSTOMERS = ("Amira", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jon")
PRICES = (685, 875, 990, 1240, 1370, 2499, 3120, 4350)


def _route_question(rng: random.Random) -> Question:
    status = rng.choice(list(OrderStatus))
    route = cancel_route(status)
    options = list(ROUTE_CHOICES.values())
    rng.shuffle(options)
    return Question(
        "route",
        f"{rng.choice(CUSTOMERS)}'s order page shows **{status}**.",
        "What happens if they try to cancel the order now?",
        tuple(options),
        ROUTE_CHOICES[route],
        ROUTE_EXPLANATIONS[route],
    )


def _who_decides_question(rng: random.Random) -> Question:
    cancellable = [s for s in OrderStatus if cancel_route(s) is not CancelRoute.NOT_POSSIBLE
                   and cancel_route(s) is not CancelRoute.REQUEST_PENDING]
    status = rng.choice(cancellable)
    route = cancel_route(status)
    did = (
        "pressed **Cancel order** and picked a reason"
        if shows_cancel_button(status)
        else "sent the seller a message asking to cancel"
    )
    return Question(
        "who-decides",
        f"{rng.choice(CUSTOMERS)}'s order showed **{status}**. They {did}.",
        "Who decides whether the order is cancelled?",
        (NOBODY, SELLER, SUPPORT),
        NOBODY if route is CancelRoute.IMMEDIATE else SELLER,
        ROUTE_EXPLANATIONS[route],
    )


def _button_question(rng: random.Random) -> Question:
    status = rng.choice(list(OrderStatus))
    shown = shows_cancel_button(status)
    return Question(
        "button",
        f"{rng.choice(CUSTOMERS)} opens the details of an order showing **{status}**.",
        "Is there a **Cancel order** button?",
        (YES, NO),
        YES if shown else NO,
        ROUTE_EXPLANATIONS[cancel_route(status)],
    )


def _refund_days_question(rng: random.Random) -> Question:
    method = rng.choice(list(PaymentMethod))
    window = refund_window(method)
    options = [w.describe() for w in REFUND_WINDOWS.values()]
    rng.shuffle(options)
    return Question(
        "refund-days",
        f"{rng.choice(CUSTOMERS)} paid with **{window.label}** and the order has just been"
        " cancelled.",
        "How long until the money is back?",
        tuple(options),
        window.describe(),
        refund_days_explained(window),
    )


def _coupon_question(rng: random.Random) -> Question:
    kind = rng.choice(list(CouponKind))
    every = rng.random() < 0.5
    expired = rng.random() < 0.4
    items = rng.randint(2, 4)
    cancelled = items if every else rng.randint(1, items - 1)
    decision = coupon_comes_back(kind, every_item_cancelled=every, expired=expired)
    state = "has expired since" if expired else "is still valid"
    return Question(
        "coupon",
        f"{rng.choice(CUSTOMERS)} used a **{kind.label.lower()}** on {items} items and"
        f" has cancelled {cancelled} of them. The coupon {state}.",
        "Does the coupon come back to their wallet?",
        (YES, NO),
        YES if decision.returned else NO,
        decision.reason,
    )


def _partial_refund_question(rng: random.Random) -> Question:
    count = rng.randint(2, 3)
    prices = rng.sample(PRICES, count)
    discount = rng.choice((300, 400, 500, 600, 800))
    paid = amounts_paid(prices, [(discount, range(count))])
    index = rng.randrange(count)
    answer = format_cents(paid[index])
    wrong = [
        format_cents(prices[index]),
        format_cents(max(prices[index] - discount, 0)),
        format_cents(prices[index] - discount // count),
    ]
    options = list(dict.fromkeys([answer, *wrong]))
    rng.shuffle(options)
    listed = ", ".join(format_cents(p) for p in prices)
    return Question(
        "partial-refund",
        f"{rng.choice(CUSTOMERS)} bought {count} items ({listed}) with a"
        f" {format_cents(discount)} coupon covering all of them, then cancelled only the"
        f" one priced {format_cents(prices[index])}.",
        "How much is refunded?",
        tuple(options),
        answer,
        f"The {format_cents(discount)} discount is shared over the items in proportion to"
        f" their prices, so this item carried {format_cents(prices[index] - paid[index])} of"
        f" it. The refund is what was really paid for it: {answer}.",
    )


GENERATORS: dict[str, Callable[[random.Random], Question]] = {
    "route": _route_question,
    "who-decides": _who_decides_question,
    "button": _button_question,
    "refund-days": _refund_days_question,
    "coupon": _coupon_question,
    "partial-refund": _partial_refund_question,
}


def make_quiz(seed: int, count: int = 8) -> list[Question]:
    """``count`` different questions, every kind before any repeats; same seed, same quiz."""
    rng = random.Random(seed)
    questions: list[Question] = []
    seen: set[tuple[str, str]] = set()
    kinds: list[str] = []
    attempts = 0
    while len(questions) < count and attempts < count * 20:
        attempts += 1
        if not kinds:
            kinds = list(GENERATORS)
            rng.shuffle(kinds)
        kind = kinds.pop()
        question = GENERATORS[kind](rng)
        key = (question.situation.split(" ", 1)[1], question.prompt)  # ignore the name
        if key in seen:
            continue
        seen.add(key)
        questions.append(question)
    return questions


def new_seed() -> int:
    """A fresh seed for a new session's quiz."""
    return random.SystemRandom().randrange(2**31)
