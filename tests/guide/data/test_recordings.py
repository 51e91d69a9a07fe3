"""Reading the manifest: a good one loads; a bad one gets a message that says what is wrong."""

import copy
import json

import pytest

from guide.data.recordings import (
    ImageMissing,
    RecordingsError,
    RecordingsMissing,
    image_bytes,
    load_recordings,
    parse_manifest,
)
from tests.guide.guide_fixtures import write_recordings


def test_loads_flows_steps_and_devices(recorded, guide_env):
    recordings = load_recordings()
    assert [f.id for f in recordings.flows] == ["pre-verification", "post-verification-request"]
    assert recordings.paths() == ["pre-verification", "post-verification"]
    assert list(recordings.devices) == ["desktop", "phone"]
    step = recordings.flows[0].steps[0]
    assert (step.number, step.id, step.images["phone"]) == (
        1, "step-1", "pre-verification/phone/01-step-1.png"
    )
    assert recordings.missing_images == ()
    assert image_bytes(recordings, step, "desktop").startswith(b"\x89PNG")


def test_missing_manifest(guide_env):
    with pytest.raises(RecordingsMissing):
        load_recordings()


def test_a_new_recording_is_picked_up(recorded, guide_env):
    assert len(load_recordings().flows) == 2
    manifest = copy.deepcopy(recorded)
    manifest["flows"] = manifest["flows"][:1]
    (guide_env / "manifest.json").write_text(json.dumps(manifest) + "\n\n", encoding="utf-8")
    assert len(load_recordings().flows) == 1


def test_recordings_know_whether_the_manifest_changed_since(recorded, guide_env):
    """The tutorial's step fragment reruns without reloading; this is how it notices."""
    recordings = load_recordings()
    assert recordings.is_current()
    manifest = copy.deepcopy(recorded)
    manifest["flows"] = manifest["flows"][:1]
    (guide_env / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert not recordings.is_current()
    assert load_recordings().is_current()
    (guide_env / "manifest.json").unlink()
    assert not recordings.is_current()
    assert parse_manifest(recorded, guide_env).is_current(), "not read from a file"


def _broken(recorded, change):
    manifest = copy.deepcopy(recorded)
    change(manifest)
    return manifest


BROKEN = [
    (lambda m: m.pop("devices"), 'manifest.json: "devices" is empty.'),
    (lambda m: m.update(flows={}), "manifest.json: flows: Input should be a valid tuple"),
    (lambda m: m.update(flows=[]), "manifest.json lists no flows."),
    (lambda m: m.update(version=2), "manifest.json: version: is 2; this code reads version 1"),
    (lambda m: m["flows"][1].pop("title"),
     'manifest.json, flow 2 ("post-verification-request"): title: Field required'),
    (lambda m: m["flows"][0].update(steps=[]),
     'manifest.json, flow 1 ("pre-verification"): steps: Tuple should have at least 1 item'
     " after validation, not 0"),
    (lambda m: m["flows"][0]["steps"][2].update(number="3"),
     'manifest.json, flow 1 ("pre-verification"), step 3 ("step-3"): number: Input should be'
     ' a valid integer, not "3"'),
    (lambda m: m["flows"][0]["steps"][0].update(title="  "),
     'manifest.json, flow 1 ("pre-verification"), step 1 ("step-1"): title: is empty'),
    (lambda m: m["flows"][0]["steps"][0].update(action="tap"),
     'manifest.json, flow 1 ("pre-verification"), step 1 ("step-1"): action: Input should be'
     " 'goto', 'click', 'fill', 'select', 'check', 'uncheck', 'observe', 'seller' or"
     ' \'advance-clock\', not "tap"'),
    (lambda m: m["flows"][0]["steps"][0]["images"].update(desktop="../../secret.png"),
     'manifest.json, flow 1 ("pre-verification"), step 1 ("step-1"): images.desktop: must be'
     ' a path inside the recordings folder, not "../../secret.png"'),
    (lambda m: m["flows"][0]["steps"][0].update(crop="x.png"),
     'manifest.json, flow 1 ("pre-verification"), step 1 ("step-1"): crop: Extra inputs are not'
     " permitted"),
    (lambda m: m["flows"][1].update(id="pre-verification"),
     'manifest.json: the flow id "pre-verification" is used twice'),
    (lambda m: m["devices"].update(phone="Pixel"),
     'manifest.json, device "phone": Input should be a valid dictionary or instance of'
     ' DeviceInfo, not "Pixel"'),
    (lambda m: m["devices"].update(tablet={"label": "Tablet"}),
     "manifest.json, device \"tablet\": Input should be 'desktop' or 'phone', not \"tablet\""),
]


def test_every_problem_is_listed_one_per_line(recorded, guide_env):
    def two_problems(m):
        m["flows"][0].pop("title")
        m["flows"][1]["steps"][0].update(number=0)

    with pytest.raises(RecordingsError) as error:
        parse_manifest(_broken(recorded, two_problems), guide_env)
    assert str(error.value).splitlines() == [
        'manifest.json, flow 1 ("pre-verification"): title: Field required',
        'manifest.json, flow 2 ("post-verification-request"), step 1 ("step-1"): number: Input'
        " should be greater than 0, not 0",
    ]


def test_the_committed_manifest_loads_and_writes_back_unchanged():
    from flowspec.contract import parse_manifest as contract_manifest
    from tests.guide.guide_fixtures import ROOT

    text = (ROOT / "flows" / "recordings" / "manifest.json").read_text(encoding="utf-8")
    manifest = contract_manifest(json.loads(text))
    assert json.dumps(manifest.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n" == text


@pytest.mark.parametrize(("change", "message"), BROKEN)
def test_broken_manifest_messages(recorded, guide_env, change, message):
    with pytest.raises(RecordingsError) as error:
        parse_manifest(_broken(recorded, change), guide_env)
    assert str(error.value) == message


def test_truncated_file(recorded, guide_env):
    text = (guide_env / "manifest.json").read_text(encoding="utf-8")
    (guide_env / "manifest.json").write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(RecordingsError, match="is not valid JSON .* cut off"):
        load_recordings()


def test_missing_images_are_listed_not_fatal(recorded, guide_env):
    relative = recorded["flows"][1]["steps"][2]["images"]["phone"]
    (guide_env / relative).unlink()
    recordings = load_recordings()
    assert recordings.missing_images == (relative,)
    step = recordings.flow("post-verification-request").steps[2]
    with pytest.raises(ImageMissing, match="is missing from the recordings"):
        image_bytes(recordings, step, "phone")


def test_a_step_not_recorded_on_a_device(recorded, guide_env):
    manifest = _broken(recorded, lambda m: m["flows"][0]["steps"][0]["images"].update(phone=None))
    recordings = parse_manifest(manifest, guide_env)
    with pytest.raises(ImageMissing, match="Step 1 was not recorded on Phone"):
        image_bytes(recordings, recordings.flows[0].steps[0], "phone")


def test_unknown_paths_are_kept_after_the_known_ones(guide_env):
    from tests.guide.guide_fixtures import FlowSpec

    write_recordings(guide_env, (FlowSpec("extra", "returns", "showcase"),
                                 FlowSpec("pre", "pre-verification", "payment-being-verified")))
    assert load_recordings().paths() == ["pre-verification", "returns"]
