"""A tiny recording built through the manifest contract (``flowspec.contract``).

The real recordings come from ``python -m flows record``; the guide's tests only need
the contract, so this writes 3-step flows with small Pillow-made PNGs.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw

from flowspec.contract import (
    MANIFEST_NAME,
    ActionName,
    Box,
    DeviceInfo,
    DeviceName,
    Manifest,
    RecordedFlow,
    RecordedStep,
    Viewport,
    write_json,
)
from tests.support.local_http import serve_in_thread

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing answers there
DESKTOP_RECORDED = datetime(2026, 3, 2, 9, 0)
PHONE_RECORDED = datetime(2026, 3, 2, 9, 5)

DEVICES = {
    DeviceName.DESKTOP: DeviceInfo(label="Desktop", viewport=Viewport(width=1280, height=800)),
    DeviceName.PHONE: DeviceInfo(label="Phone (Pixel 7)", viewport=Viewport(width=412, height=839)),
}
SIZES = {"desktop": (320, 200), "phone": (103, 210)}


@dataclass(frozen=True)
class FlowSpec:
    id: str
    path: str
    scenario: str
    steps: int = 3
    title: str = ""


TWO_FLOWS = (
    FlowSpec("pre-verification", "pre-verification", "payment-being-verified"),
    FlowSpec("post-verification-request", "post-verification", "awaiting-shipment"),
)
EVERY_PATH = (
    *TWO_FLOWS,
    FlowSpec("post-verification-message", "post-verification", "marked-shipped"),
    FlowSpec("refund-tracker", "refund", "refund-methods", title="Follow a refund to PayPal"),
    FlowSpec("refund-balance", "refund", "refund-methods",
             title="Follow a refund to your Marketplace balance"),
    FlowSpec("coupon-platform", "coupon", "platform-coupon"),
    FlowSpec("coupon-store-partial", "coupon", "store-coupon"),
)


def step_title(flow_id: str, number: int) -> str:
    return f"{flow_id} step {number} title"


def make_png(path: Path, size: tuple[int, int], seed: int) -> None:
    """A small PNG that differs from every other one in the fixture."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, (250, 250, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, size[0] - 5, 30), fill=((seed * 53) % 256, (seed * 97) % 256, 90))
    draw.text((8, 40), f"#{seed}", fill=(30, 30, 30))
    image.save(path, format="PNG")


def recorded_step(flow_id: str, number: int, images: dict[str, str],
                  crops: dict[str, str] | None = None) -> RecordedStep:
    """Step ``number`` of a fixture flow, recorded on every device in ``images``."""
    return RecordedStep(
        number=number,
        id=f"step-{number}",
        title=step_title(flow_id, number),
        instruction=f"Do thing {number} of {flow_id}.",
        action=ActionName.CLICK,
        target='button "Next"',
        images=images,
        crops=crops or {},
        boxes={d: Box(x=4, y=4, width=40, height=20) for d in images},
        aria={d: '- button "Next"' for d in images},
        duration_ms={d: 100 + number for d in images},
    )


def write_recordings(directory: Path, flows=TWO_FLOWS) -> dict:
    """Write a manifest through the contract, plus one PNG per step per device; returns
    the manifest as JSON data (tests break copies of it)."""
    seed, recorded = 0, []
    for flow in flows:
        steps = []
        for number in range(1, flow.steps + 1):
            images, crops = {}, {}
            for device, size in SIZES.items():
                seed += 1
                images[device] = f"{flow.id}/{device}/{number:02d}-step-{number}.png"
                make_png(directory / images[device], size, seed)
                crops[device] = f"{flow.id}/{device}/crops/{number:02d}-step-{number}.png"
                make_png(directory / crops[device], (min(size[0], 480), 200), seed + 10_000)
            steps.append(recorded_step(flow.id, number, images, crops))
        recorded.append(
            RecordedFlow(
                id=flow.id,
                path=flow.path,
                title=flow.title or f"Title of {flow.id}",
                when=f"When {flow.id} applies.",
                next=f"What follows {flow.id}.",
                scenario=flow.scenario,
                recorded_at={"desktop": DESKTOP_RECORDED, "phone": PHONE_RECORDED},
                steps=tuple(steps),
            )
        )
    manifest = Manifest(devices=DEVICES, flows=tuple(recorded))
    write_json(directory / MANIFEST_NAME, manifest)
    return manifest.model_dump(mode="json")


# --- a stand-in storefront for practice mode -------------------------------------------------


class FakeStorefront:
    """Answers the control API's routes (docs/architecture.md) from a dict per token.

    Tests change ``states[token]`` to play the trainee's moves in the shop.
    """

    def __init__(self):
        from domain.scenarios import scenario_catalogue

        self.catalogue = scenario_catalogue()
        self.states: dict[str, dict] = {}
        self.coach: dict[str, dict] = {}  # a coached practice's progress, by its key
        self.calls: list[tuple[str, str, dict | None]] = []
        self.server = None

    def start(self) -> str:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def _send(self, status: int, body) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                fake.calls.append(("GET", self.path, None))
                if self.path == "/api/scenarios":
                    return self._send(200, fake.catalogue)
                if self.path.startswith("/api/coach/"):
                    key = self.path.rsplit("/", 1)[-1]
                    if key in fake.coach:
                        return self._send(200, fake.coach[key])
                    return self._send(404, {"detail": "There is no coached practice."})
                token = self.path.rsplit("/", 1)[-1]
                if token in fake.states:
                    return self._send(200, fake.states[token])
                return self._send(404, {"detail": "Unknown scenario token."})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.calls.append(("POST", self.path, body))
                if self.path == "/api/scenarios":
                    return self._send(200, fake.create(body["name"]))
                if self.path.endswith("/sign-in-links"):
                    ticket = f"ticket-{body['role']}-{len(fake.calls)}"
                    return self._send(201, {"url": f"/trainer/sign-in/{ticket}",
                                            "expires_in_seconds": 600})
                return self._send(200, {"ok": True})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        serve_in_thread(self.server)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        return self.base_url

    def create(self, name: str) -> dict:
        from domain.scenarios import SCENARIOS

        token = f"tok{len(self.states) + 1}"
        orders = [
            {"number": o.number, "status": str(o.status),
             "items": [{"id": i, "title": p.title, "paid_cents": p.unit_price_cents,
                        "cancelled": False} for i, p in enumerate(o.products)],
             "cancellation": None, "messages": [], "refunds": [], "coupons": []}
            for o in SCENARIOS[name].orders
        ]
        self.states[token] = {"token": token, "now": "2026-03-02T09:00:00", "orders": orders}
        return {"token": token, "buyer_email": f"buyer-{token}@example.test",
                "buyer_sign_in_url": f"/trainer/sign-in/first-ticket-{token}",
                "buyer_password": "practice-1234", "seller_email": "s@example.test",
                "seller_password": "seller-1234", "now": "2026-03-02T09:00:00",
                "orders": [{"number": o["number"], "status": o["status"]} for o in orders]}

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
