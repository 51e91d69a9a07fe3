"""The guide freezes what is loaded, so Streamlit's collection after each run stays short."""

import gc
import sys
import types

from guide import gc_freeze


def test_freezes_once_then_again_only_after_new_imports(monkeypatch):
    monkeypatch.setattr(gc_freeze, "_modules_when_frozen", 0)
    try:
        assert gc_freeze.freeze_what_is_loaded()
        assert gc.get_freeze_count() > 0
        assert not gc_freeze.freeze_what_is_loaded(), "nothing imported since"
        monkeypatch.setitem(sys.modules, "guide_test_new_module", types.ModuleType("new"))
        assert gc_freeze.freeze_what_is_loaded()
        assert not gc_freeze.freeze_what_is_loaded()
    finally:
        gc.unfreeze()


def test_garbage_is_collected_before_freezing(monkeypatch):
    monkeypatch.setattr(gc_freeze, "_modules_when_frozen", 0)

    class Cycle:
        pass

    def garbage_cycles() -> int:
        return sum(isinstance(o, Cycle) for o in gc.get_objects())

    try:
        cycle = Cycle()
        cycle.me = cycle
        del cycle
        gc_freeze.freeze_what_is_loaded()
        gc.unfreeze()
        assert garbage_cycles() == 0, "the cycle was collected, not frozen"
    finally:
        gc.unfreeze()
