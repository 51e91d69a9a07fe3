"""The README's regression examples do what their comments say: each one is a command
the CLI accepts, naming flows that exist, and the ``--workers 2`` one gives two local
browsers work at once (a browser per job at most, so it needs two jobs or more)."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from flows.cli import build_parser
from flows.execute import DEVICE_CHOICES, browser_sources, select_flows
from flows.run.pool import plan
from flows.settings import FlowsSettings
from flowspec.paths import load_flows

README = Path(__file__).resolve().parents[2] / "README.md"
COMMAND = ".venv/bin/python -m flows "


def examples() -> list[str]:
    """The ``python -m flows`` commands of the README's code blocks, comments left out."""
    return [line.partition("#")[0].strip() for line in README.read_text().splitlines()
            if line.startswith(COMMAND)]


@pytest.mark.parametrize("example", examples())
def test_each_example_is_a_command_the_cli_accepts(example):
    args = build_parser().parse_args(shlex.split(example.removeprefix(COMMAND)))

    if getattr(args, "flows", None):
        assert select_flows(load_flows(), args.flows)


def test_the_workers_example_runs_two_browsers_at_once():
    [example] = [line for line in examples() if "--workers 2" in line]
    args = build_parser().parse_args(shlex.split(example.removeprefix(COMMAND)))
    jobs = plan(select_flows(load_flows(), args.flows), DEVICE_CHOICES[args.device])

    sources = browser_sources(args, None, len(jobs), FlowsSettings(browser_endpoint=""))

    assert len(jobs) >= 2 and len(sources) == 2
