"""Every page of the guide, driven through Streamlit's AppTest (no browser)."""

import json

import pytest

from guide.data.recordings import load_recordings
from guide.quiz import make_quiz
from tests.guide.guide_fixtures import EVERY_PATH, step_title, write_recordings

PAGES = [
    "guide/pages/tutorial.py",
    "guide/pages/path_finder.py",
    "guide/pages/practice.py",
    "guide/pages/training.py",
    "guide/pages/regression.py",
    "guide/pages/export.py",
]
TUTORIAL, FINDER, TRAINING, REGRESSION, EXPORT = (
    "guide/pages/tutorial.py",
    "guide/pages/path_finder.py",
    "guide/pages/training.py",
    "guide/pages/regression.py",
    "guide/pages/export.py",
)


# --- every page renders -------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_recordings(recorded, open_page, page):
    at = open_page(page)
    assert not at.exception
    assert at.title


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_recordings(guide_env, open_page, page):
    at = open_page(page)
    assert not at.exception
    assert at.title


@pytest.mark.parametrize("page", [TUTORIAL, EXPORT])
def test_missing_recordings_are_explained_with_a_way_to_record(guide_env, open_page, page,
                                                               page_text):
    at = open_page(page)
    assert "have not been recorded yet" in page_text(at)
    assert any(b.label == "Record the screenshots now" for b in at.button)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"version": 1, "devices": ', "is not valid JSON"),
        ("", "is empty"),
        ('{"version": 2, "devices": {}, "flows": []}', "version: is 2"),
        ('{"version": 1, "devices": {"desktop": {"label": "Desktop"}}, "flows": []}',
         "lists no flows"),
    ],
)
def test_corrupt_manifest_shows_an_error_not_an_exception(guide_env, open_page, page_text,
                                                           content, words):
    (guide_env / "manifest.json").write_text(content, encoding="utf-8")
    for page in (TUTORIAL, EXPORT):
        at = open_page(page)
        assert not at.exception
        assert at.error, page
        assert words in at.error[0].value


def test_missing_image_is_named_on_the_page(recorded, guide_env, open_page, page_text):
    first = recorded["flows"][0]["steps"][0]["images"]["desktop"]
    (guide_env / first).unlink()
    at = open_page(TUTORIAL)
    assert not at.exception
    assert first in page_text(at)
    assert "missing" in page_text(at)


# --- tutorial -----------------------------------------------------------------------------------


def _step_counter(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**Step "))


def test_tutorial_walks_every_step_of_every_path(recorded_every_path, app):
    at = app.run()
    recordings = load_recordings()
    for path in recordings.paths():
        at.segmented_control(key="_w.guide.path").set_value(path).run()
        for flow in recordings.flows_in(path):
            if len(recordings.flows_in(path)) > 1:
                at.selectbox(key=f"_w.guide.flow.{path}").set_value(flow.id).run()
            total = len(flow.steps)
            assert _step_counter(at) == f"**Step 1 of {total}**"
            for number in range(1, total + 1):
                assert not at.exception
                assert _step_counter(at) == f"**Step {number} of {total}**"
                assert at.subheader[0].value == step_title(flow.id, number)
                assert at.button(key="tutorial-next").disabled == (number == total)
                if number < total:
                    at.button(key="tutorial-next").click().run()
            assert "What happens next" in [s.value for s in at.subheader]
            assert at.table, "the refund times are shown at the end"


def test_tutorial_previous_goes_back_and_stops_at_the_first_step(recorded, app):
    at = app.run()
    assert at.button(key="tutorial-previous").disabled
    at.button(key="tutorial-next").click().run()
    at.button(key="tutorial-previous").click().run()
    assert _step_counter(at) == "**Step 1 of 3**"


def test_tutorial_keeps_each_flows_step_apart(recorded, app):
    at = app.run()
    at.button(key="tutorial-next").click().run()
    at.segmented_control(key="_w.guide.path").set_value("post-verification").run()
    assert _step_counter(at) == "**Step 1 of 3**"
    at.segmented_control(key="_w.guide.path").set_value("pre-verification").run()
    assert _step_counter(at) == "**Step 2 of 3**"


def test_tutorial_all_steps_view_and_phone_screens(recorded, app):
    at = app.run()
    at.segmented_control(key="_w.guide.device").set_value("phone").run()
    at.segmented_control(key="_w.guide.view").set_value("all").run()
    assert not at.exception
    titles = [s.value for s in at.subheader]
    assert titles[:3] == [step_title("pre-verification", n) for n in (1, 2, 3)]
    assert "What happens next" in titles
    assert len(_whole_screens(at)) == 3
    assert len(at.image) == 6, "each step: its close-up and its whole screen"


def _whole_screens(at) -> list:
    """The whole-screen pictures (each step also shows a close-up)."""
    return [i for i in at.image if i.proto.imgs[0].alt.startswith("Step ")]


def _outside_step_card(at) -> list:
    """Every element of the page outside the tutorial's step fragment, as (type, value)."""
    inside = {id(node) for node in at.get_by_key("tutorial-step")}
    return [(node.type, repr(getattr(node, "value", None))) for node in at.main
            if id(node) not in inside]


def test_tutorial_nothing_outside_the_step_fragment_changes_with_the_step(recorded, app):
    """Next, Previous and Start again rerun only the step fragment (``@st.fragment``), so
    everything that shows the step must be drawn inside it and nothing outside may read it."""
    at = app.run()
    outside = _outside_step_card(at)
    assert ("title", repr("How to cancel an order")) in outside
    for number in (2, 3):
        at.button(key="tutorial-next").click().run()
        card = at.get_by_key("tutorial-step")
        assert f"**Step {number} of 3**" in [m.value for m in card.markdown]
        assert card.get("progress")[0].value == int(number / 3 * 100)
        assert _outside_step_card(at) == outside, f"step {number}"
    assert "What happens next" in [s.value for s in at.get_by_key("tutorial-step").subheader]
    at.button(key="tutorial-restart").click().run()
    assert _step_counter(at) == "**Step 1 of 3**"
    assert "What happens next" not in [s.value for s in at.subheader]
    assert _outside_step_card(at) == outside


def test_tutorial_step_survives_a_switch_of_screen(recorded, app):
    """The screen switch is outside the fragment: a full rerun that keeps the step."""
    at = app.run()
    at.button(key="tutorial-next").click().run()
    at.segmented_control(key="_w.guide.device").set_value("phone").run()
    assert _step_counter(at) == "**Step 2 of 3**"
    assert [i.proto.imgs[0].alt for i in _whole_screens(at)] == [
        f"Step 2: {step_title('pre-verification', 2)} (Phone (Pixel 7))"]
    at.button(key="tutorial-next").click().run()
    at.segmented_control(key="_w.guide.device").set_value("desktop").run()
    assert _step_counter(at) == "**Step 3 of 3**"
    assert _whole_screens(at)[0].proto.imgs[0].alt.endswith("(Desktop)")


def test_tutorial_reruns_the_whole_page_when_recorded_again(recorded, app, monkeypatch):
    """A step fragment that finds the manifest changed asks for a full rerun (which reloads)."""
    from guide.data.recordings import Recordings

    at = app.run()
    checks = []

    def changed_once(self) -> bool:
        checks.append(self)
        return len(checks) > 1

    monkeypatch.setattr(Recordings, "is_current", changed_once)
    at.button(key="tutorial-next").click().run()
    assert not at.exception
    assert len(checks) == 2, "the page ran again after the first check"
    assert _step_counter(at) == "**Step 2 of 3**"
    assert len(at.title) == 1 and len(_whole_screens(at)) == 1


def test_tutorial_opens_with_when_the_path_applies(recorded, app):
    at = app.run()
    assert at.info[0].value == "When pre-verification applies."


# --- path finder --------------------------------------------------------------------------------


FINDER_CASES = [
    # status, payment, expected path in the tutorial, expected flow
    ("Payment being verified", "paypal", "pre-verification", "pre-verification"),
    ("Awaiting shipment", "paypal", "post-verification", "post-verification-request"),
    ("Awaiting delivery", "paypal", "post-verification", "post-verification-message"),
    ("Closed", "paypal", "refund", "refund-tracker"),
    ("Closed", "platform_balance", "refund", "refund-balance"),
]


@pytest.mark.parametrize(("status", "payment", "path", "flow"), FINDER_CASES)
def test_path_finder_opens_the_right_path(recorded_every_path, open_page, status, payment,
                                          path, flow):
    at = open_page(FINDER)
    at.selectbox(key="finder.status").select(status).run()
    at.selectbox(key="finder.payment").select(payment).run()
    at.button(key=f"finder.open.{path}").click().run()
    assert not at.exception
    assert at.session_state["guide.path"] == path
    assert at.title[0].value == "How to cancel an order"
    assert at.subheader[0].value == step_title(flow, 1)


def test_path_finder_reaches_the_coupon_path(recorded_every_path, open_page):
    at = open_page(FINDER)
    at.selectbox(key="finder.status").select("Payment being verified").run()
    at.pills(key="finder.coupons").set_value(["store"]).run()
    at.radio(key="finder.every").set_value("No").run()
    assert any("Not returned" in m.value for m in at.markdown)
    at.button(key="finder.open.coupon").click().run()
    assert not at.exception
    assert at.subheader[0].value == step_title("coupon-store-partial", 1)


def test_path_finder_says_when_an_order_can_no_longer_be_cancelled(recorded, open_page):
    at = open_page(FINDER)
    at.selectbox(key="finder.status").select("Completed").run()
    assert at.subheader[0].value == "It can no longer be cancelled"
    assert not [b for b in at.button if b.key and b.key.startswith("finder.open")]


def test_path_finder_flags_a_cancel_button_the_status_does_not_offer(recorded, open_page):
    at = open_page(FINDER)
    at.selectbox(key="finder.status").select("Awaiting delivery").run()
    at.radio(key="finder.button").set_value("Yes").run()
    assert "should not offer" in at.warning[0].value


def test_path_finder_without_recordings_still_answers(guide_env, open_page):
    at = open_page(FINDER)
    at.selectbox(key="finder.status").select("Awaiting shipment").run()
    assert not at.exception
    assert at.button(key="finder.open.post-verification").disabled


# --- training -----------------------------------------------------------------------------------


def _answer(at, right: bool):
    seed = at.session_state["quiz.seed"]
    question = make_quiz(seed, 8)[at.session_state["quiz.index"]]
    choice = question.answer if right else next(o for o in question.options if o != question.answer)
    at.radio(key=f"quiz.choice.{seed}.{at.session_state['quiz.index']}").set_value(choice).run()
    at.button(key="quiz.check").click().run()
    return question


@pytest.mark.parametrize("seed", [1, 7, 2024])
def test_quiz_checks_a_right_and_a_wrong_answer(guide_env, open_page, seed):
    at = open_page(TRAINING, {"quiz.seed": seed, "quiz.index": 0, "quiz.answers": {}})
    question = _answer(at, right=True)
    assert not at.exception
    assert at.success[0].value.startswith("**Right.**")
    assert question.explanation in at.success[0].value
    assert at.metric[0].value == "1 / 1"
    at.button(key="quiz.next").click().run()
    question = _answer(at, right=False)
    assert f"The answer is **{question.answer}**" in at.error[0].value
    assert at.metric[0].value == "1 / 2"


def test_quiz_asks_for_an_answer_before_checking(guide_env, open_page):
    at = open_page(TRAINING, {"quiz.seed": 3, "quiz.index": 0, "quiz.answers": {}})
    at.button(key="quiz.check").click().run()
    assert "Pick an answer first." in at.warning[0].value


def test_quiz_ends_with_a_summary(guide_env, open_page):
    at = open_page(TRAINING, {"quiz.seed": 5, "quiz.index": 0, "quiz.answers": {}})
    for _ in range(8):
        _answer(at, right=True)
        at.button(key="quiz.next").click().run()
    assert at.subheader[0].value == "You got 8 of 8 right"


# --- regression ---------------------------------------------------------------------------------


def test_regression_shows_failures_with_their_three_images(recorded, guide_env, tmp_path,
                                                           open_page, page_text):
    images = {name: guide_env / recorded["flows"][0]["steps"][1]["images"]["desktop"]
              for name in ("expected", "actual", "diff")}
    row = {"flow": "pre-verification", "device": "desktop", "duration_ms": 120}
    report = {
        "kind": "run", "started_at": "2026-03-02T09:00:00", "finished_at": "2026-03-02T09:01:00",
        "results": [
            {**row, "step": 1, "step_id": "step-1", "status": "passed", "message": ""},
            {**row, "step": 2, "step_id": "step-2", "status": "failed",
             "message": "button \"Cancel order\" to be visible",
             **{k: str(v) for k, v in images.items()}},
            {**row, "step": 3, "step_id": "step-3", "status": "skipped", "message": ""},
        ],
    }
    (tmp_path / "latest-run.json").write_text(json.dumps(report), encoding="utf-8")
    at = open_page(REGRESSION)
    assert not at.exception
    # flows passed, failed, changed, flaky; pictures changed, steps failed, skipped
    assert [m.value for m in at.metric] == ["0", "1", "0", "0", "0", "1", "1"]
    assert "button \"Cancel order\" to be visible" in page_text(at)
    assert len(at.image) == 4  # expected, actual, difference, and the onion skin of the first two
    assert "Baseline recorded 2 Mar 2026, 09:00" in page_text(at)


def test_regression_without_a_run_says_how_to_make_one(recorded, open_page):
    at = open_page(REGRESSION)
    assert "python -m flows run" in at.info[0].value


def test_regression_with_a_broken_report_shows_an_error(recorded, tmp_path, open_page):
    (tmp_path / "latest-run.json").write_text("{not json", encoding="utf-8")
    at = open_page(REGRESSION)
    assert not at.exception
    assert "not valid JSON" in at.error[0].value


# --- export -------------------------------------------------------------------------------------


def test_export_offers_the_whole_guide_and_each_path(recorded_every_path, open_page):
    at = open_page(EXPORT)
    assert not at.exception
    assert at.radio(key="_w.export.scope").options == [
        "The whole guide", *[p.label for p in _path_infos()]
    ]
    at.radio(key="_w.export.scope").set_value("refund").run()
    assert not at.exception
    refund_flows = sum(f.path == "refund" for f in EVERY_PATH)
    assert any(m.value.startswith(f"**{refund_flows}** walkthroughs") for m in at.markdown)


def _path_infos():
    from domain.paths import PATHS

    present = {f.path for f in EVERY_PATH}
    return [info for path, info in PATHS.items() if path in present]


def test_every_path_fixture_covers_every_path():
    from domain.paths import PathId

    assert {f.path for f in EVERY_PATH} == set(PathId)


def test_write_recordings_is_loadable(guide_env):
    write_recordings(guide_env)
    assert load_recordings().step_count() == 6
