"""Whether a module may make a module exist that no file holds, told from its bytes.

six puts an importer on ``sys.meta_path`` as it is imported, which provides ``six.moves`` and its
submodules; a compatibility alias is a module written into ``sys.modules`` under a name of its
own (``sys.modules[__name__ + ".compat"] = ...``). Python imports every package above a module
before the module itself, so when one of them may do either, a module missing from the disk is
no proof that importing it fails: which modules it adds only running it tells.
"""

from __future__ import annotations

import re

#: An import hook named anywhere: it may provide any module.
_IMPORT_HOOK = re.compile(rb"\b(?:meta_path|path_hooks)\b")


def may_add_module(data: bytes, name: str) -> bool:
    """False only when the code in ``data`` certainly neither installs an import hook nor writes
    a module into ``sys.modules`` under a key that names ``name`` (the last part of the missing
    module's name): ``modules[...name...] = ``, ``modules.setdefault(...name...``, ``.update(``.
    A mention in a string or a comment counts too, which only makes the answer "may"."""
    if _IMPORT_HOOK.search(data):
        return True
    word = re.escape(name.encode())
    written = re.compile(
        rb"\bmodules[ \t]*\[[^\]\n]*\b" + word + rb"\b[^\]\n]*\][ \t]*=(?!=)"
        rb"|\bmodules[ \t]*\.[ \t]*(?:setdefault|update|__setitem__)[ \t]*\([^\n]*\b" + word + rb"\b"
    )
    return written.search(data) is not None
