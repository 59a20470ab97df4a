"""Pause Python's cyclic garbage collector while many acyclic containers are made.

Reading a sheet as Python lists (one per row) or building and parsing an LCAx
project (millions of small dicts and lists) makes containers that hold no
reference cycles. With the collector on, each few hundred thousand of them
set off a collection that scans them all and frees nothing; reading and
writing take up to twice as long. Reference counting still frees them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block; restore its state afterwards.

    The state is restored also after an error, and left off when it was off
    before, so pauses may nest.

    Examples
    --------
    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
