"""Training quiz for support staff: customer situations, answers checked by the rules."""

import streamlit as st

from guide import ui
from guide.quiz import Question, make_quiz, new_seed

QUESTIONS_PER_QUIZ = 8
SEED, INDEX, ANSWERS = "quiz.seed", "quiz.index", "quiz.answers"
INTRO = ("Situations a customer might describe. Pick an answer to see whether it matches what"
         " the marketplace's rules say, and why.")


def training() -> None:
    ui.page_head("Training quiz", INTRO)
    if SEED not in st.session_state:
        _new_quiz()
    questions = make_quiz(st.session_state[SEED], QUESTIONS_PER_QUIZ)
    index = st.session_state.setdefault(INDEX, 0)
    answers: dict[int, str] = st.session_state.setdefault(ANSWERS, {})
    right = sum(questions[i].is_right(choice) for i, choice in answers.items())

    score, progress = st.columns([1, 3], vertical_alignment="center")
    score.metric("Score", f"{right} / {len(answers)}")
    progress.progress(
        len(answers) / len(questions), text=f"{len(answers)} of {len(questions)} answered"
    )

    if index >= len(questions):
        _summary(questions, answers, right)
    else:
        _ask(questions[index], index, len(questions), answers)
    st.button("Start a new quiz", key="quiz.new", on_click=_new_quiz, type="tertiary",
              icon=":material/shuffle:")


def _new_quiz() -> None:
    st.session_state[SEED] = new_seed()
    st.session_state[INDEX] = 0
    st.session_state[ANSWERS] = {}


def _ask(question: Question, index: int, total: int, answers: dict[int, str]) -> None:
    choice_key = f"quiz.choice.{st.session_state[SEED]}.{index}"

    def check() -> None:
        choice = st.session_state.get(choice_key)
        if choice is None:
            st.session_state["quiz.nudge"] = True
        else:
            answers[index] = choice

    def forward() -> None:
        st.session_state[INDEX] = index + 1

    with st.container(border=True):
        st.caption(f"Question {index + 1} of {total}")
        st.markdown(question.situation)
        answered = index in answers
        st.radio(f"**{question.prompt}**", question.options, index=None, key=choice_key,
                 disabled=answered)
        if not answered:
            st.button("Check my answer", key="quiz.check", type="primary", on_click=check)
            if st.session_state.pop("quiz.nudge", False):
                st.warning("Pick an answer first.", icon=":material/touch_app:")
            return
        if question.is_right(answers[index]):
            st.success(f"**Right.** {question.explanation}", icon=":material/check_circle:")
        else:
            st.error(
                f"**Not quite.** The answer is **{question.answer}**. {question.explanation}",
                icon=":material/cancel:",
            )
        label = "Next question" if index + 1 < total else "See my result"
        st.button(label, key="quiz.next", type="primary", on_click=forward,
                  icon=":material/arrow_forward:", icon_position="right")


def _summary(questions: list[Question], answers: dict[int, str], right: int) -> None:
    with st.container(border=True):
        st.subheader(f"You got {right} of {len(questions)} right", anchor=False)
        if right == len(questions):
            st.success("A perfect score.", icon=":material/emoji_events:")
        for number, question in enumerate(questions):
            st.markdown(review_text(number, question, answers.get(number)))


def review_text(number: int, question: Question, picked: str | None) -> str:
    """One answered question: the situation, what the trainee picked, the answer and why."""
    if question.is_right(picked):
        verdict = f":green[:material/check:] **Your answer: {picked}** (right)"
    else:
        verdict = (f":red[:material/close:] **Your answer: {picked or 'none'}** · the right"
                   f" answer: **{question.answer}**")
    return (f"**{number + 1}.** {question.situation} {question.prompt}\n\n{verdict}\n\n"
            f"{question.explanation}\n\n---")


training()
