"""Run one task per bid file on a worker pool that a dying worker cannot break.

:func:`run_tasks` is what :func:`klimafotavtrykk.tender.score_bids` runs the
bids with. A file that is not a regular file (a FIFO, a device, a socket) is
refused by :func:`not_regular` from its ``stat`` alone, never opened: opening
a FIFO for reading blocks until someone writes to it. With a process pool, a
worker process that dies (a crash, an out-of-memory kill, a hostile file
that brings down the parser) breaks the pool and fails every bid waiting in
it; those bids are run again, so that the death costs only the bid that
caused it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, as_completed
from pathlib import Path
from typing import Any

from klimafotavtrykk.tender.evaluation import BidSummary

__all__ = ["not_regular", "run_tasks"]


def run_tasks(task: Callable[[Path], Any], files: list[Path], *, executor=None,
              progress: Callable[[int, int, str], None] | None = None,
              collect: Callable[[int, Any], None] | None = None) -> list[Any]:
    """Run ``task`` on every file; a file that is not a regular file, or kills its worker, is rejected.

    A non-regular file (FIFO, socket, device) is refused here without being
    opened. With a process pool, a worker that dies breaks the pool and every
    bid still waiting in it; those bids are run again: the first few in
    submission order, which the dead worker may have held, one at a time
    (the one that kills its worker again is rejected as ``worker_died``), and
    the rest in a fresh pool of the same size. Each round settles at least
    one bid, so the loop ends.

    Parameters
    ----------
    task : callable
        ``task(path)``, returning what the file gave (a rejected
        :class:`~klimafotavtrykk.tender.evaluation.BidSummary` when it
        failed); picklable for a process pool.
    files : list of Path
    executor : concurrent.futures.Executor, optional
        None runs the tasks here, one by one.
    progress : callable, optional
        ``progress(done, total, file_name)``.
    collect : callable, optional
        ``collect(index, result)``, called as each file is settled (after
        ``progress``), so that results can be used, and let go, while the
        pool reads on; the list returned then holds None.

    Returns
    -------
    list
        What each file gave, in the order of ``files``.
    """
    n = len(files)
    results: list[Any] = [None] * n
    done = 0

    def settle(i: int, summary) -> None:
        nonlocal done
        results[i] = summary if collect is None else None
        done += 1
        if progress:
            progress(done, n, files[i].name)
        if collect is not None:
            collect(i, summary)

    todo = []
    for i, path in enumerate(files):
        refused = not_regular(path)
        if refused is not None:
            settle(i, refused)
        else:
            todo.append(i)
    if executor is None:
        for i in todo:
            settle(i, task(files[i]))
        return results
    workers = max(1, int(getattr(executor, "_max_workers", None) or os.cpu_count() or 1))
    context = getattr(executor, "_mp_context", None)
    pool, own = executor, []
    try:
        while todo:
            broken = _submit_all(pool, task, files, todo, settle)
            if not broken:
                break
            suspects, todo = broken[: 2 * workers + 1], broken[2 * workers + 1:]
            _one_by_one(task, files, suspects, settle, context, own)
            if todo:
                pool = _fresh_pool(workers, context)
                own.append(pool)
    finally:
        for made in own:
            made.shutdown(wait=True, cancel_futures=True)
    return results


def _submit_all(pool, task, files, todo, settle) -> list[int]:
    """Submit ``todo`` to ``pool``; settle what finishes; return the indices a broken pool lost."""
    broken: list[int] = []
    futures = {}
    for i in todo:
        try:
            futures[pool.submit(task, files[i])] = i
        except BrokenExecutor:
            broken.append(i)
    for future in as_completed(futures):
        i = futures.pop(future)  # let go of the future, and the bid it holds, once it is settled
        try:
            result = future.result()
        except BrokenExecutor:
            broken.append(i)
            continue
        except Exception as exc:  # noqa: BLE001 - an error in transit rejects its bid only
            result = BidSummary(file=files[i].name, ok=False, reason=type(exc).__name__,
                                detail=str(exc)[:200])
        settle(i, result)  # outside the try: settled once, whatever the caller does with it
    return sorted(broken)  # submission order: the first ones were in the dead worker's hands


def _one_by_one(task, files, indices, settle, context, own) -> None:
    """Run each bid alone in a one-worker pool; a bid whose worker dies is rejected."""
    pool = None
    for i in indices:
        if pool is None:
            pool = _fresh_pool(1, context)
            own.append(pool)
        try:
            result = pool.submit(task, files[i]).result()
        except BrokenExecutor:
            result = BidSummary(file=files[i].name, ok=False, reason="worker_died",
                                detail="the process reading this file stopped")
            pool = None
        except Exception as exc:  # noqa: BLE001 - as in _submit_all
            result = BidSummary(file=files[i].name, ok=False, reason=type(exc).__name__,
                                detail=str(exc)[:200])
        settle(i, result)


def _fresh_pool(workers: int, context):
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def not_regular(path: Path) -> BidSummary | None:
    """A rejected summary for a path that is no regular file (checked by stat, never opened)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return BidSummary(file=path.name, ok=False, reason="file_not_found", detail=str(path))
    except OSError as exc:
        return BidSummary(file=path.name, ok=False, reason="unreadable_file",
                          detail=exc.strerror or type(exc).__name__)
    if stat.S_ISREG(mode):
        return None
    kind = ("fifo" if stat.S_ISFIFO(mode) else "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "socket" if stat.S_ISSOCK(mode) else "directory" if stat.S_ISDIR(mode) else "other")
    return BidSummary(file=path.name, ok=False, reason="not_regular_file", detail=kind)
