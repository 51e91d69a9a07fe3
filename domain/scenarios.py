"""The scenarios as plain data: what each practice world contains, with no database.

Everything a page shows (order numbers, dates, names, prices) is fixed per scenario so
screenshots repeat exactly; only the sign-in e-mail and the token differ between two
copies of the same scenario. The storefront seeds rows from these definitions
(``mock_site.services.scenarios``); the flows and the guide read them directly.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from domain.coupons import CouponKind
from domain.payments import PaymentMethod
from domain.statuses import OrderStatus

START = datetime(2026, 3, 2, 9, 0)
BUYER_NAME = "Robin Carter"
BUYER_PASSWORD = "practice-1234"
SELLER_PASSWORD = "seller-1234"
STORE_NAME = "Brightside Home Store"
DEMO_TOKEN = "demo"
DEMO_BUYER_EMAIL = "demo@example.com"
DEMO_SELLER_EMAIL = "seller@example.com"


class ScenarioName(StrEnum):
    """Every scenario a practice copy can be made of."""

    PAYMENT_BEING_VERIFIED = "payment-being-verified"
    AWAITING_SHIPMENT = "awaiting-shipment"
    MARKED_SHIPPED = "marked-shipped"
    REFUND_METHODS = "refund-methods"
    PLATFORM_COUPON = "platform-coupon"
    STORE_COUPON = "store-coupon"
    STORE_COUPON_EXPIRED = "store-coupon-expired"
    SHOWCASE = "showcase"


@dataclass(frozen=True)
class Product:
    title: str
    option: str
    swatch: str
    unit_price_cents: int
    quantity: int = 1


EARBUDS = Product("Wireless earbuds with charging case", "Colour: White", "#dfe7f2", 2499)
BOTTLE = Product("Stainless steel water bottle, 750 ml", "Colour: Sage", "#b9d3b0", 1240)
LAMP = Product("LED desk lamp with USB port", "Colour: Black", "#3c3c3c", 3120)
SOCKS = Product("Cotton crew socks, 5 pairs", "Size: 39-42", "#f3d9b1", 990)
CASE = Product("Matte phone case", "Model: Pixel 7", "#8aa1c1", 685, 2)
SPATULAS = Product("Silicone spatula set, 3 pieces", "Colour: Coral", "#f49a84", 875)
BACKPACK = Product("Water-resistant city backpack", "Colour: Navy", "#34456b", 4350)


@dataclass(frozen=True)
class CouponSpec:
    kind: CouponKind
    code: str
    discount_cents: int
    min_spend_cents: int
    expires_at: datetime
    covers: tuple[int, ...] | None = None  # item positions; None = every item


@dataclass(frozen=True)
class OrderSpec:
    number: str
    status: OrderStatus
    products: tuple[Product, ...]
    payment_method: PaymentMethod = PaymentMethod.BANK_CARD
    placed_days_ago: float = 0.1
    coupons: tuple[CouponSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class ScenarioSpec:
    """A named practice situation: the orders it holds and the coupons left unused."""

    name: ScenarioName
    title: str
    description: str
    orders: tuple[OrderSpec, ...]
    spare_coupons: tuple[CouponSpec, ...] = field(default=())


SPARE = CouponSpec(CouponKind.PLATFORM, "MKT-WELCOME-3", 300, 1500, START + timedelta(days=30))
HISTORY = OrderSpec(
    "3050184266170091", OrderStatus.COMPLETED, (SOCKS,), PaymentMethod.PAYPAL, 40
)

SCENARIOS: dict[ScenarioName, ScenarioSpec] = {
    spec.name: spec
    for spec in [
        ScenarioSpec(
            ScenarioName.PAYMENT_BEING_VERIFIED,
            "Payment being verified",
            "An order paid a moment ago whose payment is still being verified.",
            (
                OrderSpec("3050184277200114", OrderStatus.PAYMENT_BEING_VERIFIED, (EARBUDS,)),
                HISTORY,
            ),
            (SPARE,),
        ),
        ScenarioSpec(
            ScenarioName.AWAITING_SHIPMENT,
            "Awaiting shipment",
            "A verified order the store has not shipped yet: cancelling asks the seller.",
            (
                OrderSpec(
                    "3050184277330208", OrderStatus.AWAITING_SHIPMENT, (LAMP,),
                    PaymentMethod.PAYPAL, 1,
                ),
                HISTORY,
            ),
        ),
        ScenarioSpec(
            ScenarioName.MARKED_SHIPPED,
            "Marked shipped",
            "The store has marked the order shipped, so Cancel order is gone.",
            (
                OrderSpec(
                    "3050184277410316", OrderStatus.AWAITING_DELIVERY, (BOTTLE,),
                    PaymentMethod.BANK_CARD, 2,
                ),
                HISTORY,
            ),
        ),
        ScenarioSpec(
            ScenarioName.REFUND_METHODS,
            "Refunds by payment method",
            "Three orders being verified, paid by bank card, PayPal and marketplace balance.",
            (
                OrderSpec(
                    "3050184277550421", OrderStatus.PAYMENT_BEING_VERIFIED, (BACKPACK,),
                    PaymentMethod.BANK_CARD,
                ),
                OrderSpec(
                    "3050184277560422", OrderStatus.PAYMENT_BEING_VERIFIED, (SPATULAS,),
                    PaymentMethod.PAYPAL, 0.2,
                ),
                OrderSpec(
                    "3050184277570423", OrderStatus.PAYMENT_BEING_VERIFIED, (BOTTLE,),
                    PaymentMethod.PLATFORM_BALANCE, 0.3,
                ),
            ),
        ),
        ScenarioSpec(
            ScenarioName.PLATFORM_COUPON,
            "Marketplace coupon",
            "Two items bought with a marketplace coupon; cancelling both returns it.",
            (
                OrderSpec(
                    "3050184277680530", OrderStatus.PAYMENT_BEING_VERIFIED, (EARBUDS, CASE),
                    PaymentMethod.BANK_CARD,
                    coupons=(
                        CouponSpec(CouponKind.PLATFORM, "MKT-SPRING-5", 500, 3000,
                                   START + timedelta(days=20)),
                    ),
                ),
            ),
            (SPARE,),
        ),
        ScenarioSpec(
            ScenarioName.STORE_COUPON,
            "Store coupon, partial cancellation",
            "Three items bought with a store coupon; cancelling one keeps the coupon used.",
            (
                OrderSpec(
                    "3050184277790645", OrderStatus.PAYMENT_BEING_VERIFIED,
                    (LAMP, SPATULAS, SOCKS), PaymentMethod.PAYPAL,
                    coupons=(
                        CouponSpec(CouponKind.STORE, "BRIGHT-6OFF", 600, 4000,
                                   START + timedelta(days=10)),
                    ),
                ),
            ),
        ),
        ScenarioSpec(
            ScenarioName.STORE_COUPON_EXPIRED,
            "Expired store coupon",
            "A whole order bought with a store coupon that has since expired.",
            (
                OrderSpec(
                    "3050184277810752", OrderStatus.PAYMENT_BEING_VERIFIED, (BACKPACK,),
                    PaymentMethod.BANK_CARD, 0.5,
                    coupons=(
                        CouponSpec(CouponKind.STORE, "BRIGHT-4OFF", 400, 3000,
                                   START - timedelta(hours=2)),
                    ),
                ),
            ),
        ),
    ]
}

SHOWCASE = ScenarioSpec(
    ScenarioName.SHOWCASE,
    "Showcase",
    "Every kind of order at once, for looking around.",
    tuple({o.number: o for s in SCENARIOS.values() for o in s.orders}.values()),
    (SPARE,),
)


class UnknownScenario(KeyError):
    pass


def scenario_spec(name: str) -> ScenarioSpec:
    """The named scenario's definition; UnknownScenario names the known ones."""
    every = {**SCENARIOS, SHOWCASE.name: SHOWCASE}
    if name not in every:
        known = ", ".join(every)
        raise UnknownScenario(f"Unknown scenario {name!r}; known scenarios: {known}.")
    return every[ScenarioName(name)]


def scenario_catalogue() -> list[dict]:
    """Names and descriptions of every scenario, for the trainer page and the API."""
    return [
        {"name": s.name.value, "title": s.title, "description": s.description}
        for s in [*SCENARIOS.values(), SHOWCASE]
    ]
