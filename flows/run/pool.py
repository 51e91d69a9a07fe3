"""Share flow × device jobs among browsers, retry the ones that fail, and shard a run.

A run is a list of jobs (one flow on one device). Each browser (a local Chromium, or a
remote endpoint: Chromium's DevTools ``http://`` or a Playwright server's ``ws://``)
takes one job at a time from a shared queue, so N browsers work in parallel. A job
that does not pass is run again up to ``retries`` times; one that then passes is
``flaky``, never plainly ``passed``. ``shard`` picks a stable 1/N of the jobs, so a CI
matrix of N machines covers each job exactly once.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from time import perf_counter

from playwright.sync_api import Error

from flows.run.browser import BrowserSetupError, Session
from flows.run.results import FlowResult
from flowspec.contract import JobOutcome, job_outcome
from flowspec.steps import Flow

BrowserSource = Callable[[], AbstractContextManager[Session]]
RunOne = Callable[[Session, "Job", int], FlowResult]  # the attempt is counted from 1


class ShardError(ValueError):
    """``--shard`` is not ``I/N`` with 1 ≤ I ≤ N."""


@dataclass(frozen=True, slots=True)
class Job:
    """One flow on one device: the unit shared among browsers, retried and sharded."""

    flow: Flow
    device: str

    @property
    def key(self) -> str:
        return f"{self.flow.id}/{self.device}"


@dataclass
class JobRun:
    """Every attempt at one job (the last one counts), where it ran and how long it took."""

    job: Job
    attempts: list[FlowResult] = field(default_factory=list)
    endpoint: str = "local"
    duration_ms: int = 0

    @property
    def final(self) -> FlowResult:
        return self.attempts[-1]

    @property
    def outcome(self) -> JobOutcome:
        return job_outcome((step.status for step in self.final.steps), len(self.attempts))

    def earlier_failures(self) -> list[str]:
        """What went wrong in the attempts before the last one, one line per step."""
        return [
            f"attempt {number}: {step.message}"
            for number, attempt in enumerate(self.attempts[:-1], 1)
            for step in attempt.failures
        ]


def plan(flows: Iterable[Flow], devices: Sequence[str]) -> list[Job]:
    """Every flow on every device, flow by flow."""
    return [Job(flow, device) for flow in flows for device in devices]


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/3"`` as ``(2, 3)``."""
    index, slash, count = text.partition("/")
    try:
        pair = int(index), int(count)
    except ValueError:
        pair = (0, 0)
    if not slash or not 1 <= pair[0] <= pair[1]:
        raise ShardError(f'--shard must be I/N with 1 ≤ I ≤ N (e.g. 1/2), not "{text}"')
    return pair


def shard(jobs: Sequence[Job], index: int, count: int) -> list[Job]:
    """Shard ``index`` of ``count``: every count-th job in key order, so the shards do not
    depend on the order flows were named in, and together cover every job once."""
    ordered = sorted(jobs, key=lambda job: job.key)
    mine = {job.key for job in ordered[index - 1 :: count]}
    return [job for job in jobs if job.key in mine]


def run_jobs(
    jobs: Sequence[Job],
    sources: Sequence[tuple[str, BrowserSource]],
    run_one: RunOne,
    *,
    retries: int = 0,
    on_job: Callable[[JobRun], None] | None = None,
    on_browser_error: Callable[[str, BaseException], None] | None = None,
    in_this_thread: bool = False,
) -> list[JobRun]:
    """Run every job on the browsers in ``sources`` (name, opener), one job per browser
    at a time; results come back in the order of ``jobs``.

    Each source runs in a thread of its own, opening its own Playwright (the sync API
    keeps to one thread); ``in_this_thread`` runs a single source here instead (a browser
    a test opened must stay in the test's thread). A
    browser that breaks hands its job back to the others and is told to
    ``on_browser_error`` (its name, the error); if none is left, the first error is raised.
    """
    if not sources:
        raise BrowserSetupError("no browser to run on")
    pending: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(jobs)):
        pending.put(index)
    done: dict[int, JobRun] = {}
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(name: str, source: BrowserSource) -> None:
        try:
            with source() as session:
                while True:
                    try:
                        index = pending.get_nowait()
                    except queue.Empty:
                        return
                    try:
                        job_run = _attempts(jobs[index], session, run_one, retries, name)
                    except Error:
                        pending.put(index)  # this browser broke: another one takes the job
                        raise
                    with lock:
                        done[index] = job_run
                        if on_job is not None:
                            on_job(job_run)
        except (Error, BrowserSetupError, OSError) as error:
            with lock:
                errors.append(_named(error, name))
                if on_browser_error is not None:
                    on_browser_error(name, error)
        except Exception as error:  # a bug, not a browser: raised as it is, after the others
            with lock:
                errors.append(error)

    if in_this_thread and len(sources) == 1:
        work(*sources[0])
    else:
        threads = [
            threading.Thread(target=work, args=source, name=f"flows-{number}", daemon=True)
            for number, source in enumerate(sources, 1)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    if len(done) < len(jobs):
        raise errors[0] if errors else BrowserSetupError("some jobs were not run")
    return [done[index] for index in range(len(jobs))]


def _attempts(job: Job, session: Session, run_one: RunOne, retries: int, name: str) -> JobRun:
    job_run = JobRun(job, endpoint=name)
    started = perf_counter()
    for attempt in range(1, retries + 2):
        job_run.attempts.append(run_one(session, job, attempt))
        if job_run.final.passed:
            break
    job_run.duration_ms = round((perf_counter() - started) * 1000)
    return job_run


def _named(error: BaseException, name: str) -> BaseException:
    """A browser's error as a setup problem that says which browser it was, whole: a
    Playwright server's or a connection's reason is often past the first line."""
    if name == "local":
        return error
    return BrowserSetupError(f"the browser at {name} failed: {describe(error)}")


def describe(error: BaseException) -> str:
    """An error's whole text, or its kind when it has none."""
    return str(error).strip() or type(error).__name__
