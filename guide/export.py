"""The guide as one self-contained HTML file: inline CSS, pictures inlined as base64.

The file opens offline in any browser and prints cleanly, so a trainer can hand it out.
Each step shows its readable close-up (the recorded crop, as it is) and the whole screen
scaled down to half, as JPEG, so the whole guide on both screens stays small enough to
e-mail.
"""

import base64
import functools
import html
import io
import re
from collections.abc import Callable, Sequence
from datetime import datetime

from PIL import Image

from flowspec.contract import RecordedFlow, RecordedStep
from guide import paths
from guide.data.recordings import ImageMissing, Recordings, crop_bytes, image_bytes

OVERVIEW_SCALE = 0.5  # the whole screen beside the close-up: a map, not for reading
OVERVIEW_QUALITY = 55

CSS = """
:root { --accent: #c81e35; --accent-text: #a8142b; --ink: #191919; --muted: #5f6368;
        --line: #e6e7ea; --soft: #fff0f1; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: #fff; }
main { max-width: 960px; margin: 0 auto; padding: 32px 20px 64px; }
h1 { font-size: 2rem; margin: 0 0 4px; }
h2 { font-size: 1.5rem; margin: 48px 0 8px; padding-bottom: 6px; border-bottom: 3px solid var(--accent); }
h3 { font-size: 1.25rem; margin: 28px 0 8px; }
h4 { font-size: 1.05rem; margin: 2px 0 6px; }
a { color: var(--accent-text); }
.muted { color: var(--muted); font-size: .9rem; }
.when { background: var(--soft); border-left: 4px solid var(--accent); padding: 10px 14px;
        border-radius: 6px; margin: 8px 0 16px; }
.step { border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; margin: 14px 0;
        page-break-inside: avoid; break-inside: avoid; }
.counter { color: var(--accent-text); font-weight: 600; font-size: .85rem; text-transform: uppercase;
           letter-spacing: .04em; }
.shots { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; margin-top: 10px; }
figure { margin: 0; }
figure.desktop { flex: 1 1 520px; max-width: 100%; }
figure.phone { flex: 0 0 auto; width: 260px; max-width: 100%; }
figure img { width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
figure img.close-up { width: auto; max-width: 100%; }
figure img.overview { margin-top: 6px; }
figcaption { color: var(--muted); font-size: .8rem; margin-top: 4px; }
.missing { color: var(--muted); font-style: italic; }
.next { border-top: 1px dashed var(--line); margin-top: 18px; padding-top: 8px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: .95rem; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); }
nav ol { padding-left: 20px; }
code { background: #f3f3f3; padding: 0 4px; border-radius: 4px; }
@media print { main { padding: 0; } h2 { page-break-before: always; } }
"""

ImageReader = Callable[[Recordings, RecordedStep, str], bytes]
CropReader = Callable[[Recordings, RecordedStep, str], bytes | None]


@functools.lru_cache(maxsize=512)
def overview_jpeg(data: bytes) -> bytes:
    """The whole screenshot at ``OVERVIEW_SCALE``, as JPEG: a map of the screen, not its text."""
    with Image.open(io.BytesIO(data)) as image:
        size = (round(image.width * OVERVIEW_SCALE), round(image.height * OVERVIEW_SCALE))
        small = image.convert("RGB").resize(size, Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    small.save(buffer, format="JPEG", quality=OVERVIEW_QUALITY)
    return buffer.getvalue()


def build_html(
    recordings: Recordings,
    flow_ids: Sequence[str] | None = None,
    devices: Sequence[str] | None = None,
    *,
    title: str = "How to cancel an order",
    read_image: ImageReader = image_bytes,
    read_crop: CropReader = crop_bytes,
    generated: datetime | None = None,
) -> str:
    """The chosen flows (default: all) on the chosen devices (default: all), as one page."""
    wanted = set(flow_ids) if flow_ids is not None else {f.id for f in recordings.flows}
    devices = [d for d in (devices or list(recordings.devices)) if d in recordings.devices]
    groups = [
        (path, [f for f in recordings.flows_in(path) if f.id in wanted])
        for path in recordings.paths()
    ]
    groups = [(path, flows) for path, flows in groups if flows]
    moment = generated or datetime.now()
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body><main>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="muted">Step-by-step screenshots from the practice shop · made'
        f" {moment:%d %b %Y}</p>",
        _contents(groups),
    ]
    for path, flows in groups:
        info = paths.path_info(path)
        out.append(f'<h2 id="{_anchor(path)}">{_e(info.label)}</h2>')
        if info.summary:
            out.append(f'<p class="muted">{_md(info.summary)}</p>')
        for flow in flows:
            out.append(_flow(recordings, flow, devices, (read_image, read_crop)))
    out.append(_appendix())
    out.append("</main></body></html>")
    return "\n".join(out)


def _contents(groups: list[tuple[str, list[RecordedFlow]]]) -> str:
    items = []
    for path, flows in groups:
        inner = "".join(
            f'<li><a href="#{_anchor(f.id, "flow")}">{_e(f.title)}</a></li>' for f in flows
        )
        items.append(
            f'<li><a href="#{_anchor(path)}">{_e(paths.path_info(path).label)}</a>'
            f"<ol>{inner}</ol></li>"
        )
    items.append('<li><a href="#refunds-and-coupons">Refund times and coupons</a></li>')
    return f"<nav><strong>Contents</strong><ol>{''.join(items)}</ol></nav>"


def _flow(
    recordings: Recordings, flow: RecordedFlow, devices: list[str],
    readers: tuple[ImageReader, CropReader],
) -> str:
    total = len(flow.steps)
    parts = [f'<section id="{_anchor(flow.id, "flow")}">', f"<h3>{_e(flow.title)}</h3>"]
    parts.append(
        f'<div class="when"><strong>When this applies.</strong>'
        f" {_md(paths.when_text(flow.when, flow.path))}</div>"
    )
    for index, step in enumerate(flow.steps, 1):
        parts.append('<div class="step">')
        parts.append(f'<div class="counter">Step {index} of {total}</div>')
        parts.append(f"<h4>{_e(step.title)}</h4><p>{_md(step.instruction)}</p>")
        parts.append('<div class="shots">')
        for device in devices:
            parts.append(_figure(recordings, step, device, *readers))
        parts.append("</div></div>")
    parts.append(
        f'<div class="next"><strong>What happens next.</strong>'
        f" {_md(paths.next_text(flow.next, flow.path))}"
        f' See <a href="#refunds-and-coupons">refund times and coupons</a>.</div>'
    )
    parts.append("</section>")
    return "\n".join(parts)


def _figure(recordings: Recordings, step: RecordedStep, device: str, read_image: ImageReader,
            read_crop: CropReader) -> str:
    label = recordings.label(device)
    kind = "phone" if device == "phone" else "desktop"
    try:
        data = read_image(recordings, step, device)
    except ImageMissing as missing:
        return f'<figure class="{kind}"><p class="missing">{_e(str(missing))}</p></figure>'
    close_up = read_crop(recordings, step, device)
    alt = f"Step {step.number}: {step.title} ({label})"
    pictures = []
    if close_up is not None:
        pictures.append(f'<img class="close-up" alt="{_e("Close-up of " + alt)}"'
                        f' src="data:image/png;base64,{_b64(close_up)}">')
    pictures.append(f'<img class="overview" alt="{_e(alt)}"'
                    f' src="data:image/jpeg;base64,{_b64(overview_jpeg(data))}">')
    return f'<figure class="{kind}">{"".join(pictures)}<figcaption>{_e(label)}</figcaption></figure>'


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _appendix() -> str:
    stages = " → ".join(_e(s) for s in paths.tracker_stages())
    return (
        '<h2 id="refunds-and-coupons">Refund times and coupons</h2>'
        f"<p>{_md(paths.refund_summary())}</p>"
        f"{_table(paths.refund_table())}"
        f'<p class="muted">The refund tracker on the Finances tab: {stages}.</p>'
        f"{_table(paths.coupon_table())}"
        f"<p>{_md(paths.PARTIAL_REFUND_NOTE)}</p>"
    )


def _table(table: paths.Table) -> str:
    head = "".join(f"<th>{_e(heading)}</th>" for heading in table.headings)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>" for row in table.rows
    )
    return f"<table><tr>{head}</tr>{rows}</table>"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _md(text: str) -> str:
    """The little Markdown the guide's texts use (**bold**, `code`), safely escaped."""
    escaped = _e(text)
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", escaped)


def _anchor(name: str, prefix: str = "path") -> str:
    return f"{prefix}-" + re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")


def file_name(path: str | None) -> str:
    return f"cancel-order-guide-{path}.html" if path else "cancel-order-guide.html"
