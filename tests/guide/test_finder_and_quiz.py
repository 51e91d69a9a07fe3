"""The path finder's Closed and Completed answers, and the quiz's review, through AppTest."""

import pytest

from guide.advice import CLOSED_NEXT_STEPS, COMPLETED_NEXT_STEPS
from guide.quiz import make_quiz
from tests.guide.test_pages import FINDER, TRAINING, _answer

QUESTIONS = 8


def _keys(at) -> set[str]:
    return {w.key for w in [*at.radio, *at.selectbox, *at.pills] if w.key}


def test_no_question_starts_answered(recorded_every_path, open_page):
    at = open_page(FINDER)
    at.selectbox(key="finder.status").select("Payment being verified").run()
    at.pills(key="finder.coupons").set_value(["store"]).run()
    assert at.radio(key="finder.every").value is None
    assert at.radio(key="finder.button").value is None
    at.radio(key="finder.every").set_value("Yes").run()
    assert at.radio(key="finder.expired").value is None
    assert "Answer the coupon questions" in " ".join(c.value for c in at.caption)
    at.radio(key="finder.expired").set_value("No").run()
    assert any("Store coupon" in m.value for m in at.markdown)


def test_a_closed_order_gets_its_refund_and_coupons_not_cancel_questions(recorded_every_path,
                                                                          open_page):
    at = open_page(FINDER)
    at.selectbox(key="finder.status").select("Closed").run()
    assert "finder.button" not in _keys(at) and "finder.every" not in _keys(at)
    at.pills(key="finder.coupons").set_value(["platform"]).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "What you can still do" in text
    for line in CLOSED_NEXT_STEPS:
        assert line in text
    assert "comes back" in text or "returned" in text.lower()
    assert at.button(key="finder.open.refund").label.startswith("Open “Getting the money back”")
    assert not at.button(key="finder.open.coupon").disabled


def test_a_completed_order_is_told_where_to_turn(recorded_every_path, open_page):
    at = open_page(FINDER)
    at.selectbox(key="finder.status").select("Completed").run()
    assert not at.exception
    assert _keys(at) == {"finder.status"}, "nothing else to ask about a completed order"
    text = " ".join(m.value for m in at.markdown)
    for line in COMPLETED_NEXT_STEPS:
        assert line in text
    assert "Money back" not in text
    assert not [b for b in at.button if b.key and b.key.startswith("finder.open")]


def test_quiz_review_shows_each_pick_beside_the_answer_and_why(guide_env, open_page):
    seed = 11
    at = open_page(TRAINING, {"quiz.seed": seed, "quiz.index": 0, "quiz.answers": {}})
    for number in range(QUESTIONS):
        _answer(at, right=number % 2 == 0)
        at.button(key="quiz.next").click().run()
    assert at.subheader[0].value == f"You got {QUESTIONS // 2} of {QUESTIONS} right"
    reviews = [m.value for m in at.markdown if m.value.startswith("**") and "Your answer" in m.value]
    assert len(reviews) == QUESTIONS
    for number, (question, review) in enumerate(zip(make_quiz(seed, QUESTIONS), reviews,
                                                    strict=True)):
        assert question.explanation in review
        if number % 2 == 0:
            assert f"Your answer: {question.answer}** (right)" in review
        else:
            wrong = next(o for o in question.options if o != question.answer)
            assert f"Your answer: {wrong}**" in review
            assert f"the right answer: **{question.answer}**" in review


@pytest.mark.parametrize("status", ["Awaiting shipment", "Awaiting delivery"])
def test_open_questions_stay_open_on_the_cancellable_statuses(recorded_every_path, open_page,
                                                             status):
    at = open_page(FINDER)
    at.selectbox(key="finder.status").select(status).run()
    assert at.radio(key="finder.button").value is None
    assert at.selectbox(key="finder.payment").value is None
