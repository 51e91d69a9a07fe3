"""Keep the garbage collection Streamlit runs after every script run short.

After each run, full or fragment, Streamlit calls ``gc.collect(2)`` (the hidden option
``runner.postScriptGC``, on by default). That walks every object the collector tracks,
most of them the modules' own functions, classes and constants, which never become
garbage, and it holds the GIL while it does: the run's last messages wait for it before
they go to the browser. In the guide's server that was 45-85 ms after each Next.

``gc.freeze()`` moves every object alive now into a permanent generation the collector
skips, so the collection after a run only walks what runs have made since. It is done
again whenever modules have been imported since the last time (a page or element may
import more the first time it is used), after a full collection, so no garbage is frozen.
Reference counting still frees frozen objects that are no longer used; only reference
cycles among them stay for good: at most what the run in progress held at each freeze,
which happens a few times per process.
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
