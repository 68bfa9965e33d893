"""Worker processes that end with the process that started them."""
from __future__ import annotations

import os
import signal


def die_with_parent(parent: int) -> None:
    """A pool worker's initializer: the worker ends with the process that started it. After
    `kill -9` of a build, its pool workers would otherwise wait on their queue for ever, orphaned
    (Linux: PR_SET_PDEATHSIG; elsewhere they end when their queue breaks)."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)     # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the line above: go now
        os._exit(1)
