"""The exported HTML: one self-contained file with every chosen screenshot inlined."""

import base64
import io
import re

from PIL import Image

from guide.data.recordings import load_recordings, parse_manifest
from guide.export import build_html, file_name, overview_jpeg
from tests.guide.guide_fixtures import EVERY_PATH, write_recordings


def _b64(path) -> str:
    return base64.b64encode(path.read_bytes()).decode("ascii")


def test_whole_guide_inlines_every_steps_close_up_and_a_small_whole_screen(recorded, guide_env):
    document = build_html(load_recordings())
    for flow in recorded["flows"]:
        for step in flow["steps"]:
            assert step["title"] in document
            for device, image in step["images"].items():
                crop = step["crops"][device]
                assert f"data:image/png;base64,{_b64(guide_env / crop)}" in document
                overview = overview_jpeg((guide_env / image).read_bytes())
                assert f"data:image/jpeg;base64,{base64.b64encode(overview).decode()}" in document
                assert _b64(guide_env / image) not in document, "never the full-size PNG"


def test_the_whole_screen_is_half_size_jpeg(recorded, guide_env):
    image = guide_env / recorded["flows"][0]["steps"][0]["images"]["desktop"]
    with Image.open(io.BytesIO(overview_jpeg(image.read_bytes()))) as small, Image.open(image) as big:
        assert small.format == "JPEG"
        assert small.size == (round(big.width / 2), round(big.height / 2))


def test_the_file_needs_nothing_from_outside(recorded):
    document = build_html(load_recordings())
    assert document.startswith("<!doctype html>")
    assert not re.search(r'(src|href)="(?!data:|#)', document)
    assert "<link" not in document and "<script" not in document


def test_one_path_only(guide_env):
    manifest = write_recordings(guide_env, EVERY_PATH)
    recordings = load_recordings()
    flows = [f.id for f in recordings.flows_in("coupon")]
    document = build_html(recordings, flows, ["desktop"])
    for flow in manifest["flows"]:
        inside = flow["id"] in flows
        for step in flow["steps"]:
            assert (_b64(guide_env / step["crops"]["desktop"]) in document) is inside
            assert _b64(guide_env / step["crops"]["phone"]) not in document
    assert "Coupons after cancelling" in document


def test_text_from_the_manifest_is_escaped(recorded, guide_env):
    recorded["flows"][0]["steps"][0]["title"] = "<b>Cancel</b> & go"
    document = build_html(parse_manifest(recorded, guide_env))
    assert "&lt;b&gt;Cancel&lt;/b&gt; &amp; go" in document


def test_missing_image_is_noted_in_the_file(recorded, guide_env):
    (guide_env / recorded["flows"][0]["steps"][0]["images"]["desktop"]).unlink()
    document = build_html(load_recordings())
    assert "is missing from the recordings" in document


def test_file_names():
    assert file_name(None) == "cancel-order-guide.html"
    assert file_name("refund") == "cancel-order-guide-refund.html"
