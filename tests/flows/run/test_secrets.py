"""The practice e-mail, password and one-time sign-in tickets appear in no artefact of a
run: not in its trace, its step messages, its JUnit file nor its HTML report.

Two flows fail on purpose against a real storefront: one after signing in with the
e-mail and password, at a sign-in link; one while typing the e-mail into a box that is
not there. Their artefacts are then searched for the secrets.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from domain.scenarios import BUYER_PASSWORD
from flows.cli import main
from flows.run.browser import Session
from flows.run.personal import MASK, mask_trace, masked
from flowspec.paths import load_flows
from flowspec.paths._steps import sign_in
from flowspec.steps import Fill, Goto, Step, by_role

pytestmark = pytest.mark.browser

BASE = load_flows()["pre-verification"]
NOWHERE = by_role("heading", "Nowhere to be seen")
TICKET_FLOW = BASE.model_copy(update={"id": "secret-ticket", "steps": (
    *sign_in(),
    Step(id="follow-link", title="Follow the link", instruction="Open the sign-in link.",
         action=Goto(path="/trainer/sign-in/{buyer_ticket}"), target=NOWHERE),
)})
EMAIL_FLOW = BASE.model_copy(update={"id": "secret-email", "steps": (
    sign_in()[0],
    Step(id="enter-email", title="Enter your e-mail", instruction="Type your e-mail.",
         action=Fill(value="{buyer_email}"), target=by_role("textbox", "No such box")),
)})
# What must not be seen: an address of a scenario (written plainly or in a form), the
# password, and a ticket after a sign-in link.
LEAKS = re.compile(
    r"buyer-\w+(@|%40)example\.test|" + re.escape(BUYER_PASSWORD) + rf"|sign-in/(?!{MASK})[\w-]{{6,}}"
)


@pytest.fixture(scope="module")
def failed_run(browser, devices, storefront, tmp_path_factory) -> tuple[Path, str]:
    """The two flows run once, with a trace, JUnit and a report: the folder and the output."""
    folder = tmp_path_factory.mktemp("secrets")
    out = io.StringIO()
    status = main(
        ["run", "--device", "desktop", "--base-url", storefront, "--timeout-ms", "1500",
         "--trace", "--output", str(folder / "output"), "--junit", str(folder / "junit.xml"),
         "--report", str(folder / "report")],
        flows={flow.id: flow for flow in (TICKET_FLOW, EMAIL_FLOW)},
        session=Session(browser, devices),
        out=out,
    )
    assert status != 0, out.getvalue()
    return folder, out.getvalue()


def leaks(text: str) -> list[str]:
    return sorted({match.group(0) for match in LEAKS.finditer(text)})


def test_the_trace_keeps_no_secret(failed_run):
    folder, _ = failed_run
    traces = sorted((folder / "output").rglob("trace.zip"))
    assert len(traces) == 2
    for trace in traces:
        with zipfile.ZipFile(trace) as archive:
            text = "\n".join(archive.read(name).decode("utf-8", "replace")
                             for name in archive.namelist())
        assert leaks(text) == [], trace
        assert MASK in text  # the fills are there, their values masked


def test_step_messages_keep_no_secret(failed_run):
    folder, output = failed_run
    report = json.loads((folder / "output" / "latest-run.json").read_text())
    messages = [row["message"] or "" for row in report["results"]]

    assert leaks(output) == [] and leaks("\n".join(messages)) == []
    assert any(f"/trainer/sign-in/{MASK}" in message for message in messages), messages
    assert any(f'with "{MASK}"' in message for message in messages), messages


def test_junit_keeps_no_secret(failed_run):
    folder, _ = failed_run
    text = (folder / "junit.xml").read_text()

    assert leaks(text) == [] and "secret-ticket" in text


def test_the_html_report_keeps_no_secret(failed_run):
    folder, _ = failed_run
    pages = [path.read_text() for path in (folder / "report").rglob("*.html")]

    assert pages and leaks("\n".join(pages)) == []


@pytest.mark.parametrize(("text", "shown"), [
    ("Go to /trainer/sign-in/Ab_3-x9: not found", f"Go to /trainer/sign-in/{MASK}: not found"),
    ('Fill the Email box with "a-1@example.test"', f'Fill the Email box with "{MASK}"'),
    ("email=a-1%40example.test&password=pw+1", f"email={MASK}&password={MASK}"),
])
def test_secrets_are_masked_in_every_form(text, shown):
    assert masked(text, ["a-1@example.test", "pw 1"]) == shown


def test_a_trace_is_rewritten_with_its_texts_masked_and_its_pictures_kept(tmp_path):
    trace = tmp_path / "trace.zip"
    picture = bytes(range(256))
    with zipfile.ZipFile(trace, "w") as archive:
        archive.writestr("trace.trace", '{"params": {"value": "a-1@example.test"}}')
        archive.writestr("resources/shot.jpeg", picture)

    mask_trace(trace, ["a-1@example.test"])

    with zipfile.ZipFile(trace) as archive:
        assert archive.read("trace.trace").decode() == f'{{"params": {{"value": "{MASK}"}}}}'
        assert archive.read("resources/shot.jpeg") == picture
