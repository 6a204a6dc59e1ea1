"""freeze_loaded_libraries: garbage is collected first, every live object leaves the collector's generations,
and it only acts when enough modules were loaded since the last time (asked in a subprocess: the freeze is
process-wide)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_freeze_collects_first_and_leaves_full_collections_little_to_walk():
    code = textwrap.dedent(
        """
        import gc, sys, types, weakref
        from cnn_tui.ml.gc_freeze import freeze_loaded_libraries

        class Node:
            pass

        a, b = Node(), Node()
        a.other, b.other = b, a  # a reference cycle nobody holds: garbage for the collector only
        garbage = weakref.ref(a)
        del a, b
        alive = Node()
        alive.me = alive
        assert freeze_loaded_libraries(new_modules=10**6) is False  # not enough loaded: nothing done
        assert garbage() is not None and gc.get_freeze_count() == 0
        for i in range(5):
            sys.modules[f"library_{i}"] = types.ModuleType(f"library_{i}")
        walked_before = len(gc.get_objects())  # what a full collection walks now, in this interpreter
        assert freeze_loaded_libraries(new_modules=5) is True
        assert garbage() is None  # collected, not frozen
        frozen = gc.get_freeze_count()
        assert frozen * 2 > walked_before, (frozen, walked_before)  # the interpreter's and the modules' objects
        walked_after = len(gc.get_objects())  # frozen objects are no longer walked
        assert walked_after * 20 < walked_before, (walked_before, walked_after)
        assert freeze_loaded_libraries(new_modules=5) is False  # nothing loaded since
        print("ok", frozen)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")
