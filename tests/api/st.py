#!/usr/bin/env python3
"""Schemathesis's `st`, with `ast.parse` made safe to call from its two worker threads.

usage: st.py <st's arguments>   (run.py runs it with the Python schemathesis is installed in)

Hypothesis describes filter lambdas by parsing their source with `ast.parse`. In CPython 3.11 the parser's
recursion counter for building the AST lives in state shared by every thread of the interpreter (CPython
issues gh-95185, gh-106905); when two workers parse at once, one can reset it under the other, which then
fails with "SystemError: AST constructor recursion depth mismatch" — a failure of the checker, not of the
server, which stopped one CI run. One lock around `ast.parse` removes the overlap; nothing else changes.
"""

import ast
import sys
import threading

_parse = ast.parse
_lock = threading.Lock()


def _serial_parse(*args, **kwargs):
    with _lock:
        return _parse(*args, **kwargs)


ast.parse = _serial_parse

from schemathesis.cli import schemathesis  # noqa: E402  (after the patch, so every import sees it)

if __name__ == "__main__":
    sys.argv[0] = "st"
    sys.exit(schemathesis())
