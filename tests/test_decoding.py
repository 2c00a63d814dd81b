"""Decoding skips Python's encoding detection only where detection could say nothing but UTF-8."""

from __future__ import annotations

import codecs
import io
import tokenize

from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.adapters.decoding import UndecodableSource, _plainly_utf8, decode_source

FRAGMENTS = [
    b"\n",
    b"\r\n",
    b"# comment\n",
    b"   \n",
    b"# -*- coding: latin-1 -*-\n",
    b"# vim: set fileencoding=utf-8 :\n",
    b"# coding=bogus-encoding\n",
    b"#coding:utf-8\n",
    b"x = 'coding'\n",
    b"import os\n",
    b"\xe9\xff",
    "caf\u00e9 = 1\n".encode(),
    codecs.BOM_UTF8,
    b"\x00",
    b"\\\n",
]


def _detected(data: bytes) -> str | None:
    """What ``tokenize.detect_encoding`` makes of the file, None where decode_source goes on
    with UTF-8 after its complaint (a first line that is not UTF-8, no line number given)."""
    try:
        return tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except SyntaxError as error:
        if error.lineno is None and not data.startswith(codecs.BOM_UTF8) and "unknown encoding" not in error.msg:
            return None
        return "refused"


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=8))
def test_the_shortcut_is_taken_only_where_detection_says_utf8(fragments):
    data = b"".join(fragments)

    if _plainly_utf8(data):
        assert _detected(data) in ("utf-8", None)


def test_a_declared_encoding_is_still_honoured():
    assert decode_source(b"# -*- coding: latin-1 -*-\nname = '\xe9'\n").endswith("name = '\u00e9'\n")
    assert decode_source(b"\n# coding: latin-1\nname = '\xe9'\n").endswith("name = '\u00e9'\n")
    try:
        decode_source(b"name = '\xe9'\n")
    except UndecodableSource as error:
        assert error.line == 1
    else:
        raise AssertionError("Latin-1 bytes without a declaration are not UTF-8")
