"""Running axe-core in a Playwright page, and what counts as a finding that fails a test.

axe-core is vendored (``vendor/``, pinned below) and injected from disk, never from a CDN.
A finding fails a test when axe rates it serious or critical and it is not one of the
known findings in markup we do not own (Streamlit's), each listed by rule and selector.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
# Every rule axe runs by default (WCAG 2.0-2.2 A and AA, and best practices).
RUN_OPTIONS = {"resultTypes": ["violations"]}

# Runs axe, then marks each failing element that sits inside a known exception's selector.
_AUDIT = """async ([known]) => {
  const results = await axe.run(document, %s);
  return results.violations.map(v => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map(n => {
      const target = n.target.map(t => [].concat(t).join(" >>> ")).join(" | ");
      let element = null;
      try { element = n.target.length === 1 ? document.querySelector(n.target[0]) : null; }
      catch (e) { element = null; }
      const excused = known.filter(k => k.rule === v.id && element && element.closest(k.within));
      return {target, impact: n.impact, summary: n.failureSummary || "",
              excusedBy: excused.map(k => k.within)};
    }),
  }));
}"""


@dataclass(frozen=True)
class KnownFinding:
    """A finding in markup we do not own: one rule, on elements inside ``within``, and why."""

    rule: str
    within: str
    reason: str


@dataclass(frozen=True)
class Finding:
    """One element that breaks one axe rule."""

    rule: str
    impact: str
    help: str
    target: str
    summary: str

    def __str__(self) -> str:
        detail = " ".join(self.summary.split())
        return f"[{self.impact}] {self.rule} ({self.help}) at {self.target}: {detail}"


@dataclass(frozen=True)
class Audit:
    """What axe reported for one page: the findings that fail, and those excused."""

    blocking: list[Finding]
    excused: list[tuple[Finding, str]]


def check_vendored_axe(script: Path = AXE_SCRIPT) -> None:
    """Refuse an axe file that is not the pinned release (a partial copy, an edit)."""
    digest = hashlib.sha256(script.read_bytes()).hexdigest()
    if digest != AXE_SHA256:
        raise AssertionError(
            f"{script.name} is not axe-core {AXE_VERSION} (sha256 {digest}); see vendor/README.md"
        )


def audit(page: Page, known: Sequence[KnownFinding] = ()) -> Audit:
    """Run axe on the page as it is now and sort its serious and critical findings."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=AXE_SCRIPT)
    version = page.evaluate("axe.version")
    assert version == AXE_VERSION, f"the page runs axe {version}, not {AXE_VERSION}"
    violations = page.evaluate(
        _AUDIT % json.dumps(RUN_OPTIONS),
        [[{"rule": k.rule, "within": k.within} for k in known]],
    )
    blocking: list[Finding] = []
    excused: list[tuple[Finding, str]] = []
    for violation in violations:
        for node in violation["nodes"]:
            impact = node["impact"] or violation["impact"]
            if impact not in BLOCKING_IMPACTS:
                continue
            finding = Finding(violation["rule"], impact, violation["help"], node["target"],
                              node["summary"])
            if node["excusedBy"]:
                excused.append((finding, node["excusedBy"][0]))
            else:
                blocking.append(finding)
    return Audit(blocking, excused)


def report(where: str, findings: Sequence[Finding]) -> str:
    """The findings one per line, under the page they were found on."""
    return "\n".join([f"{where}: {len(findings)} serious or critical finding(s)",
                      *(f"  {finding}" for finding in findings)])
