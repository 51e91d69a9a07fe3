"""The training quiz: reproducible per seed, varied across seeds, answered by the rules."""

import pytest

from domain.payments import REFUND_WINDOWS
from guide.quiz import GENERATORS, NO, ROUTE_CHOICES, YES, make_quiz


def test_same_seed_same_quiz():
    assert make_quiz(42) == make_quiz(42)


def test_different_seeds_differ():
    quizzes = {tuple(q.situation for q in make_quiz(seed)) for seed in range(10)}
    assert len(quizzes) == 10


@pytest.mark.parametrize("seed", range(25))
def test_every_question_is_answerable(seed):
    questions = make_quiz(seed, 12)
    assert len(questions) == 12
    for question in questions:
        assert question.answer in question.options
        assert len(set(question.options)) == len(question.options) >= 2
        assert question.explanation
        assert question.is_right(question.answer)
        assert not question.is_right(next(o for o in question.options if o != question.answer))
        assert not question.is_right(None)


def test_each_quiz_mixes_every_kind():
    assert {q.kind for q in make_quiz(3, len(GENERATORS))} == set(GENERATORS)


def test_answers_agree_with_the_rules():
    """Read each answer back from the situation's words and compare with the rules."""
    from domain.cancellation import cancel_route, shows_cancel_button
    from domain.statuses import OrderStatus

    for seed in range(40):
        for question in make_quiz(seed):
            status = next((s for s in OrderStatus if f"**{s}**" in question.situation), None)
            if question.kind == "route":
                assert question.answer == ROUTE_CHOICES[cancel_route(status)]
            elif question.kind == "button":
                assert question.answer == (YES if shows_cancel_button(status) else NO)
            elif question.kind == "refund-days":
                window = next(w for w in REFUND_WINDOWS.values()
                              if f"**{w.label}**" in question.situation)
                assert question.answer == window.describe()
