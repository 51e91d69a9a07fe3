"""Keep the garbage collection Streamlit runs after every script run short.

Streamlit calls ``gc.collect(2)`` after each run, full or fragment (its hidden option
``runner.postScriptGC``). That walks every object the collector tracks, mostly the modules'
own functions, classes and constants, which never become garbage, and holds the GIL
meanwhile, so the reader waits for it after each Next. ``gc.freeze()`` moves what is alive
now into a generation the collector skips; it is done again, after a full collection,
whenever modules were imported since (a page may import more the first time it is used),
so no garbage is frozen. Only reference cycles among frozen objects outlive their use: at
most what a run held at each freeze, a few times per process. The figures are in
``bench/README.md``.
"""

import gc
import sys

_modules_when_frozen = 0


def freeze_what_is_loaded() -> bool:
    """Freeze the objects alive now if modules were imported since the last call.

    Cheap when nothing was imported (one length compared). Returns whether it froze.
    """
    global _modules_when_frozen
    if len(sys.modules) == _modules_when_frozen:
        return False
    gc.collect()
    gc.freeze()
    _modules_when_frozen = len(sys.modules)
    return True
