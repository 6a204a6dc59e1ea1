"""Keep the objects of loaded libraries out of the garbage collector's full collections.

CPython's cyclic collector walks every tracked object in a full collection. Once torch, torchvision, Textual
and Rich are loaded that is ~350,000 objects, and a full collection took 240–613 ms here, with every thread
of the process stopped (it holds the GIL): a frozen app and a paused training step, at moments nobody chose.
Nearly all those objects are the libraries' own modules, classes and functions, which live as long as the
process. `freeze_loaded_libraries` collects the young generations (what is garbage there must not be frozen;
~2 ms) and moves every object alive into the collector's permanent generation (`gc.freeze`), so later full
collections walk only what was made since (~0 ms for the same heap). Right after the imports a full collection
found no garbage among the old objects (0 of ~350,000) and cost 240 ms, so none is run: in the benchmark it
was the one pause left (benchmarks/README.md). Reference counting still frees frozen objects; only a
reference cycle among them would stay.
The torch commands call it once torch is loaded; the app calls it whenever many modules were loaded since.
"""

from __future__ import annotations

import gc
import sys

NEW_MODULES = 100  # modules loaded since the last freeze that make another one worth its collection
_modules_at_freeze = 0


def freeze_loaded_libraries(new_modules: int = NEW_MODULES) -> bool:
    """Collect the young generations, then freeze every object alive, if at least `new_modules` modules were
    loaded since the last time; True if it froze."""
    global _modules_at_freeze
    loaded = len(sys.modules)
    if loaded - _modules_at_freeze < new_modules:
        return False
    gc.collect(1)  # young garbage must not be frozen
    gc.freeze()
    _modules_at_freeze = loaded
    return True
