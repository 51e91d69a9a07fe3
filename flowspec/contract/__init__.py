"""The one definition of what the flows write and the guide reads.

Three things cross from ``python -m flows`` to the guide: the recordings manifest
(``flows/recordings/manifest.json``, in ``manifest``), the report of the latest run
(``output/flows/latest-run.json``, in ``runs``) and the progress events a run prints, one
JSON object per line (``progress``). A fourth crosses from the storefront's coach, which
follows a flow, to the guide: how far a trainee got in a coached practice (``coach``).
Each is a typed model; the writers write through these models, the guide and the tests
read and build through them, importing them from here. The field types (texts, moments,
counts) stay inside the package. Nothing here imports Playwright, SQLAlchemy or Streamlit, so any part may import it cheaply.

New fields must get a default, so files written before them still load.
"""

from flowspec.contract.base import (
    LATEST_RUN_NAME,
    MANIFEST_NAME,
    MANIFEST_VERSION,
    ActionName,
    ContractError,
    ContractModel,
    DeviceName,
    JobOutcome,
    ManifestError,
    RunKind,
    RunReportError,
    StepStatus,
    read_json,
    write_json,
)
from flowspec.contract.coach import CoachProgress, PracticeStep, parse_coach_progress
from flowspec.contract.manifest import (
    Acceptance,
    Box,
    DeviceInfo,
    Manifest,
    RecordedFlow,
    RecordedStep,
    Viewport,
    parse_manifest,
    read_manifest,
)
from flowspec.contract.progress import (
    _EVENT,
    JobFinished,
    Note,
    Problem,
    ProgressEvent,
    RunFinished,
    RunStarted,
    StepFinished,
    event_line,
    read_event,
)
from flowspec.contract.runs import (
    BrowserUse,
    ExitCode,
    FailOn,
    FailureKind,
    JobResult,
    RunReport,
    StepOutcome,
    exit_code,
    job_outcome,
    parse_run_report,
    read_run_report,
    worst,
)

__all__ = [
    "Acceptance",
    "ActionName",
    "Box",
    "BrowserUse",
    "CoachProgress",
    "ContractError",
    "ContractModel",
    "DeviceInfo",
    "DeviceName",
    "ExitCode",
    "FailOn",
    "FailureKind",
    "JobFinished",
    "JobOutcome",
    "JobResult",
    "LATEST_RUN_NAME",
    "MANIFEST_NAME",
    "MANIFEST_VERSION",
    "Manifest",
    "ManifestError",
    "Note",
    "Problem",
    "PracticeStep",
    "ProgressEvent",
    "RecordedFlow",
    "RecordedStep",
    "RunFinished",
    "RunKind",
    "RunReport",
    "RunReportError",
    "RunStarted",
    "StepFinished",
    "StepOutcome",
    "StepStatus",
    "Viewport",
    "_EVENT",
    "event_line",
    "exit_code",
    "job_outcome",
    "parse_coach_progress",
    "parse_manifest",
    "parse_run_report",
    "read_event",
    "read_json",
    "read_manifest",
    "read_run_report",
    "worst",
    "write_json",
]
