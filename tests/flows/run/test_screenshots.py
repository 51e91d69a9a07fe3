"""Screenshots: the outline lands on the element, recordings repeat byte for byte, and a
changed label is caught against the baseline with a picture of the difference."""

from __future__ import annotations

from PIL import Image, ImageDraw

from flows.pictures.annotate import ORANGE, annotate, save_png
from flows.pictures.diff import compare
from flows.run.runner import run_flow
from flowspec.contract import Box
from flowspec.steps import Goto, Observe, Step, by_role
from tests.flows.shop_pages import DEMO_FLOW, changed, demo_pages

WHITE = (255, 255, 255)
RED = (255, 0, 0)

OPEN_BOX = changed(DEMO_FLOW.steps[0], id="open-box", action=Goto(path="/box"), target=None)
LOOK = Step(id="look-at-button", title="Find the button", instruction="Find the button.", action=Observe(),
            target=by_role("button", "Press me"))
BOX_FLOW = changed(DEMO_FLOW, id="box", steps=(OPEN_BOX, LOOK))


def test_the_outline_surrounds_the_box_and_leaves_the_inside_alone():
    blank = Image.new("RGB", (400, 300), WHITE)

    marked = annotate(blank, Box(x=100, y=200, width=120, height=40), 1)

    assert marked.getpixel((97, 220)) == ORANGE  # left edge, 3 px outside the box
    assert marked.getpixel((222, 220)) == ORANGE  # right edge
    assert marked.getpixel((160, 197)) == ORANGE  # top edge
    assert marked.crop((100, 200, 220, 240)).getcolors() == [(4800, WHITE)]  # element untouched
    assert marked.getpixel((72, 205)) == ORANGE  # the badge, left of the outline's top
    assert marked.getpixel((90, 230)) == WHITE  # nothing else


def test_without_a_box_the_screenshot_is_unmarked():
    blank = Image.new("RGB", (40, 30), WHITE)

    assert annotate(blank, None, 1).getcolors() == [(1200, WHITE)]


def test_the_runner_outlines_the_target_where_the_page_put_it(browser, desktop, shop, tmp_path):
    result = run_flow(
        browser, BOX_FLOW, desktop, shop.url, record_dir=tmp_path, output_dir=tmp_path
    )

    assert result.passed, result.failures
    assert result.steps[1].box == Box(x=100, y=200, width=120, height=40)
    with Image.open(tmp_path / "box" / "desktop" / "02-look-at-button.png") as image:
        assert image.size == (1280, 800)
        rgb = image.convert("RGB")
        assert rgb.getpixel((97, 220)) == ORANGE
        assert rgb.getpixel((222, 220)) == ORANGE
        assert rgb.getpixel((200, 235)) == (0xEE, 0xEE, 0xEE)


def test_on_a_zoomed_out_phone_page_the_outline_follows_the_zoom(browser, devices, shop, tmp_path):
    result = run_flow(
        browser, BOX_FLOW, devices["phone"], shop.url, record_dir=tmp_path, output_dir=tmp_path
    )

    box = result.steps[1].box
    assert 45 < box.width < 55  # 120 CSS pixels shown at 412/980 of their size
    with Image.open(tmp_path / "box" / "phone" / "02-look-at-button.png") as image:
        left_edge = (round(box.x) - 3, round(box.y + box.height / 2))
        assert image.convert("RGB").getpixel(left_edge) == ORANGE


def test_two_recordings_of_a_flow_give_identical_files(browser, devices, shop, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"

    for folder in (first, second):
        for device in devices.values():
            result = run_flow(
                browser, DEMO_FLOW, device, shop.url, record_dir=folder, output_dir=tmp_path
            )
            assert result.passed, result.failures

    names = sorted(p.relative_to(first) for p in first.rglob("*.png"))
    assert len(names) == 20  # 5 steps x 2 devices, each a full picture and a crop
    assert names == sorted(p.relative_to(second) for p in second.rglob("*.png"))
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_a_phone_recording_is_at_the_phone_viewport(browser, devices, shop, tmp_path):
    run_flow(
        browser, DEMO_FLOW, devices["phone"], shop.url, record_dir=tmp_path, output_dir=tmp_path
    )

    with Image.open(tmp_path / "demo" / "phone" / "01-open-orders.png") as image:
        assert image.size == (412, 839)


def test_a_changed_label_marks_every_changed_picture_and_leaves_diffs(
    browser, desktop, shop, tmp_path
):
    """A changed picture is a soft failure: the flow goes on and reports every one."""
    baseline, output = tmp_path / "baseline", tmp_path / "output"
    recorded = run_flow(
        browser, DEMO_FLOW, desktop, shop.url, record_dir=baseline, output_dir=output
    )
    assert recorded.passed, recorded.failures
    shop.pages = demo_pages(label="Cancel the order")
    flow = changed(
        DEMO_FLOW,
        steps=(
            *DEMO_FLOW.steps[:4],
            changed(DEMO_FLOW.steps[4], target=by_role("button", "Cancel the order")),
        ),
    )

    result = run_flow(browser, flow, desktop, shop.url, baseline_dir=baseline, output_dir=output)

    assert [s.status for s in result.steps] == ["passed"] * 2 + ["changed"] * 3
    assert not result.passed and result.stopped_at is None
    assert [s.number for s in result.failures] == [3, 4, 5]
    failed = result.steps[2]
    assert failed.message.startswith(
        'flow "demo" on desktop, step 3 "choose-reason" (Select "I changed my mind" in field '
        'labelled "Reason"): the screenshot differs from the baseline in '
    )
    folder = output / "demo" / "desktop"
    assert (failed.expected, failed.actual, failed.diff) == (
        str(folder / "03-choose-reason-expected.png"),
        str(folder / "03-choose-reason-actual.png"),
        str(folder / "03-choose-reason-diff.png"),
    )
    with Image.open(failed.diff) as diff:
        assert RED in {color for _, color in diff.convert("RGB").getcolors(1 << 16)}


def test_an_unchanged_page_passes_against_its_baseline(browser, desktop, shop, tmp_path):
    run_flow(
        browser, DEMO_FLOW, desktop, shop.url, record_dir=tmp_path / "baseline", output_dir=tmp_path
    )

    result = run_flow(
        browser,
        DEMO_FLOW,
        desktop,
        shop.url,
        baseline_dir=tmp_path / "baseline",
        output_dir=tmp_path,
    )

    assert result.passed, result.failures
    assert all(s.message == "" for s in result.steps)


def test_compare_counts_changed_pixels_and_ignores_identical_images():
    before = Image.new("RGB", (200, 100), WHITE)
    after = before.copy()
    ImageDraw.Draw(after).rectangle((10, 10, 19, 19), fill=(0, 0, 0))

    assert compare(before, before.copy()).different_pixels == 0
    changed = compare(before, after, allowed_pixels=25)
    assert changed.different_pixels == 100
    assert not changed.matches
    assert (
        changed.describe() == "the screenshot differs from the baseline in 100 pixels (allowed: 25)"
    )
    assert changed.diff.convert("RGB").getpixel((15, 15)) == RED
    assert compare(before, after, allowed_pixels=100).matches


def test_compare_reports_a_different_size():
    comparison = compare(Image.new("RGB", (10, 10)), Image.new("RGB", (10, 12)))

    assert not comparison.matches
    assert comparison.describe() == "the screenshot is 10×12 but the baseline is 10×10"


def test_saving_twice_gives_the_same_bytes_and_the_same_pixels(tmp_path):
    image = Image.new("RGB", (60, 40), WHITE)
    ImageDraw.Draw(image).text((5, 5), "Hi", fill=(0, 0, 0))

    first = save_png(image, tmp_path / "a.png").read_bytes()
    second = save_png(image, tmp_path / "b.png").read_bytes()

    assert first == second
    with Image.open(tmp_path / "a.png") as back:
        assert compare(image, back, allowed_pixels=0).different_pixels == 0
