"""Practice mode: started through the storefront's coach, its progress read from the coach."""

import httpx
import pytest

from flowspec.contract import CoachProgress, PracticeStep
from flowspec.paths import load_flows
from guide.data.storefront import Storefront, StorefrontError, StorefrontUnavailable

PRACTICE = "guide/pages/practice.py"
FLOWS = load_flows()


def test_shop_not_running_says_how_to_start_it(guide_env, open_page):
    at = open_page(PRACTICE)
    assert not at.exception
    assert "scripts/run_guide.sh" in at.warning[0].value
    assert "python -m mock_site" in at.warning[0].value


def test_every_flow_is_a_choice(storefront, open_page):
    at = open_page(PRACTICE)
    assert at.selectbox(key="_w.practice.choice").options[:2] == [
        "Before the payment is verified: Cancel while the payment is being verified",
        "After the payment is verified: Ask the seller to cancel (the seller accepts)",
    ]
    assert len(at.selectbox(key="_w.practice.choice").options) == len(FLOWS)


def _start(open_page, flow_id: str):
    at = open_page(PRACTICE)
    at.selectbox(key="_w.practice.choice").set_value(flow_id).run()
    at.button(key="practice.start").click().run()
    assert not at.exception
    [link] = [b.proto.url for b in at.get("link_button")]
    key = link.rsplit("?practice=", 1)[1]
    return at, link, key


def progress(flow_id: str, step: int, *, done: bool = False, hint: str = "") -> dict:
    """The storefront's ``/api/coach/{key}`` answer for a trainee on ``step``, built
    through the contract as the storefront builds it."""
    flow = FLOWS[flow_id]
    return CoachProgress(
        key="k" * 20, flow_id=flow_id, title=flow.title, token="practice-copy", step=step,
        total=len(flow.steps), completed=len(flow.steps) if done else step - 1, done=done,
        hint=hint, steps=tuple(PracticeStep(number=n, id=s.id, title=s.title)
                               for n, s in enumerate(flow.steps, 1)),
    ).model_dump(mode="json")


def test_practice_opens_the_coach_on_the_storefront(storefront, open_page):
    at, link, key = _start(open_page, "post-verification")

    assert link.startswith(f"{storefront.base_url}/coach/post-verification?practice=")
    assert len(key) >= 16
    assert "Open the practice shop first" in at.caption[-1].value
    assert ("GET", f"/api/coach/{key}", None) in storefront.calls


def test_progress_is_the_coachs_progress(storefront, open_page):
    at, _, key = _start(open_page, "post-verification")

    storefront.coach[key] = progress("post-verification", 4)
    at.button(key="practice.check").click().run()

    assert at.get("progress")[0].proto.text == "3 of 10 steps done"
    assert "**Next: Press Cancel order.**" in at.info[0].value
    storefront.coach[key] = progress("post-verification", 10, done=True)
    at.button(key="practice.check").click().run()
    assert "Every step is done" in at.success[0].value


def test_a_wrong_move_shows_as_its_hint_not_as_progress(storefront, open_page):
    at, _, key = _start(open_page, "coupon-store-partial")
    hint = "This is Submit; this step wants Silicone spatula set, 3 pieces."

    storefront.coach[key] = progress("coupon-store-partial", 6, hint=hint)
    at.button(key="practice.check").click().run()

    assert at.get("progress")[0].proto.text == "5 of 11 steps done"
    assert "Wrong move at step 6." in at.warning[0].value
    assert hint in at.warning[0].value
    assert not at.success


def test_shop_stopping_mid_practice_is_a_message(storefront, open_page):
    at, _, _ = _start(open_page, "pre-verification")
    storefront.stop()
    at.button(key="practice.check").click().run()
    assert not at.exception
    assert "The practice shop is not running" in at.warning[0].value


# --- the client on its own --------------------------------------------------------------------


def _client(handler) -> Storefront:
    return Storefront("http://shop.test", transport=httpx.MockTransport(handler))


def _answering(answer: httpx.Response) -> Storefront:
    """A client whose shop gives ``answer`` to every request."""
    return _client(lambda request: answer)


def test_a_practice_not_opened_yet_has_no_progress():
    shop = _answering(httpx.Response(404, json={"detail": "No such practice."}))
    assert shop.coach_progress("k" * 20) is None


@pytest.mark.parametrize(("answer", "asked", "error"), [
    pytest.param(httpx.Response(409, json={"detail": "Not now."}), "progress", "^Not now.$",
                 id="a refused request shows the shop's own message"),
    pytest.param(httpx.Response(200, json={"step": "two"}), "progress", "unexpected shape",
                 id="an odd progress answer"),
    pytest.param(httpx.Response(404, json={"detail": "Not Found"}), "scenarios", "switched off",
                 id="control switched off"),
    pytest.param(httpx.Response(200, text="<html>hello</html>"), "scenarios",
                 "not like the storefront", id="not a storefront"),
])
def test_an_answer_the_guide_cannot_use_is_a_plain_error(answer, asked, error):
    shop = _answering(answer)
    with pytest.raises(StorefrontError, match=error):
        shop.coach_progress("k" * 20) if asked == "progress" else shop.scenarios()


def test_connection_refused_is_unavailable():
    def refuse(request):
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(StorefrontUnavailable, match="Nothing answers at http://shop.test"):
        _client(refuse).coach_progress("k" * 20)
