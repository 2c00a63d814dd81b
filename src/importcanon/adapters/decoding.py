"""Turning a file's bytes into text the way Python would (PEP 263 cookie, BOM, UTF-8 default)."""

from __future__ import annotations

import codecs
import hashlib
import io
import tokenize


class UndecodableSource(Exception):
    """The bytes are not text in the encoding the file declares; Python would refuse to run it."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def decode_source(data: bytes) -> str:
    """Decode source bytes, raising :class:`UndecodableSource` with the offending line."""
    try:
        encoding = "utf-8" if _plainly_utf8(data) else tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except SyntaxError as error:
        encoding = "utf-8"  # what detection found invalid in the first two lines: say where
        if error.lineno is not None:
            raise UndecodableSource(error.lineno, str(error.msg)) from None
        if data.startswith(codecs.BOM_UTF8):  # grimp decodes it anyway; Python refuses the file
            raise UndecodableSource(
                1, "the file starts with a UTF-8 byte-order mark but declares another encoding, which Python refuses"
            ) from None
        if str(error.msg).startswith("unknown encoding"):
            cookie_line = 1 if b"coding" in data.split(b"\n", 1)[0] else 2
            raise UndecodableSource(cookie_line, str(error.msg)) from None
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        start = getattr(error, "start", 0)
        line = data.count(b"\n", 0, start) + 1
        raise UndecodableSource(line, f"cannot decode the file as {encoding}: {error}") from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise UndecodableSource(line, "the file contains a NUL byte, which Python does not accept in source")
    return text[1:] if text.startswith("\ufeff") else text


def _plainly_utf8(data: bytes) -> bool:
    """Whether ``tokenize.detect_encoding`` can only say UTF-8: no byte-order mark and no
    ``coding`` in the first two lines, the only ones where a PEP 263 declaration counts. Most
    files are; each is decoded several times in a run, and detection reads lines in Python."""
    if data.startswith(codecs.BOM_UTF8):
        return False
    first = data.find(b"\n")
    end = len(data) if first < 0 else data.find(b"\n", first + 1)
    return data.find(b"coding", 0, len(data) if end < 0 else end) < 0
