"""The registry: every Flow declared in a module of this package, by id.

A path module declares ``FLOW = Flow(...)`` (or ``FLOWS = [...]`` for several); adding
the file is all it takes. With no modules yet the registry is simply empty.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from types import ModuleType

from domain.paths import PathId
from flowspec.steps import Flow, FlowDefinitionError

PATH_ORDER = list(PathId)


def collect(modules: Iterable[ModuleType]) -> dict[str, Flow]:
    """Flows from ``modules``, ordered by path (as ``PathId`` lists them), then as declared."""
    found: list[tuple[Flow, str]] = []
    for module in modules:
        declared = [getattr(module, "FLOW", None), *getattr(module, "FLOWS", ())]
        for flow in filter(None, declared):
            if not isinstance(flow, Flow):
                raise FlowDefinitionError(f"{module.__name__}: {flow!r} is not a Flow")
            found.append((flow, module.__name__))
    flows: dict[str, Flow] = {}
    where: dict[str, str] = {}
    for flow, module_name in sorted(found, key=lambda pair: PATH_ORDER.index(pair[0].path)):
        if flow.id in flows:
            raise FlowDefinitionError(
                f'flow "{flow.id}" is declared twice: in {where[flow.id]} and {module_name}'
            )
        flows[flow.id], where[flow.id] = flow, module_name
    return flows


def load_flows() -> dict[str, Flow]:
    """Import every module of this package and collect its flows (validated on import)."""
    modules = [
        _imported(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    ]
    return collect(modules)


def _imported(name: str) -> ModuleType:
    """The path module ``name``; a mistake in one of its steps names the module too."""
    try:
        return importlib.import_module(name)
    except FlowDefinitionError as error:
        raise FlowDefinitionError(f"{name}: {error}") from error
