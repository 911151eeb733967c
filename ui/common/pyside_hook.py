"""PySide6's import hook, made cheap: it read every module's source into `linecache`.

Once PySide6 is imported, every later import passes through `feature_imported`, which asks
whether the module's source mentions "PySide6" (for the optional `__feature__` switches) through
`inspect.getsource`. That reads each module's whole file into `linecache`, which keeps it: about
500 modules and 18 MB at the first window, and some tens of milliseconds. The same question is
answered here from the file's bytes, with nothing kept. The app uses no `__feature__` switch;
the answer per module stays what PySide6 computes (a module whose file names PySide6, or not).
"""
from __future__ import annotations

import sys


def _mod_uses_pyside(module) -> bool:
    path = getattr(module, "__file__", None)
    if not path or not path.endswith(".py"):
        return False  # what inspect.getsource gives for extensions and byte-code only: no source
    try:
        with open(path, "rb") as fh:
            return b"PySide6" in fh.read()
    except OSError:
        return False


def install() -> bool:
    """Import PySide6 and replace the check if this PySide6 has it where 6.5-6.12 keep it; True
    when replaced. Called before any other module is imported after PySide6, none pays for it."""
    import PySide6  # noqa: F401 - installs its import hook

    feature = sys.modules.get("PySide6.support.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = _mod_uses_pyside
    return True
