"""Keep the objects of loaded libraries out of the garbage collector's full collections."""

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
