"""``python -m importcanon``: the command line, safe to run from the root of the checked project.

Under ``-m`` Python puts the current directory first on ``sys.path``, so a project with its own
``tomllib.py``, ``grimp.py`` or ``typer/`` would have its code imported, and run, in place of the
libraries importcanon uses. That entry goes before anything else is imported.
"""

import os
import sys

if not sys.flags.safe_path and sys.path and os.path.abspath(sys.path[0] or os.curdir) == os.getcwd():
    del sys.path[0]

from importcanon.entry import console  # only now, with the path made safe (the collector goes off first)

console()
