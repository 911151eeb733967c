"""Feature commands of `python -m app`: each module here adds its subcommands.

A module defines `register(sub) -> dict[str, Callable[[argparse.Namespace], int]]`, adding its
parsers to the argparse sub-parser set and returning the handlers by command name. Handlers
follow app/cli.py's conventions: raise StationError for expected failures (one line, exit 2),
return 0 or 1. `app.cli.open_existing(path, user)`, `app.cli.read_password()` and `app.cli.account_options(parser)` are there to
open (protected) databases the same way as the built-in commands.
"""
from __future__ import annotations

import importlib
import pkgutil


def feature_modules():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        yield importlib.import_module(f"{__name__}.{info.name}")
