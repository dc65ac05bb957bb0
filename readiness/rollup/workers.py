"""Worker processes for a roll-up: how they start, end with the run, and never outlive it.

Work is given to a pool in chunks of items, by a module-level function (or a partial of one) that takes a list and
returns one result per item, so that it runs under any start method. However the call ends (an exception,
KeyboardInterrupt, SIGTERM turned into an exception), no worker outlives it; a worker that dies leaves what it had
to this process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.process
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
Notice = Callable[[str], None]


def in_workers(work: Callable[[list[T]], list[R]], items: list[T], workers: int) -> list[R]:
    """What `work` gives for each item, in order: in up to `workers` processes, by chunks of a quarter of each
    worker's share (the work is short: fewer chunks cost less to send)."""
    return list(chunked(work, items, workers, max(1, len(items) // (max(workers, 1) * 4)), None))


def chunked(
    work: Callable[[list[T]], list[R]], items: list[T], workers: int, most: int, notice: Notice | None
) -> Generator[R, None, None]:
    """What `work` gives for each item, in order: in `workers` processes, `most` items at a time."""
    workers = min(workers, len(items))
    if workers <= 1:
        for item in items:
            yield from work([item])
        return
    size = max(1, min(most, len(items) // (workers * 4)))
    done = 0
    executor: ProcessPoolExecutor | None = None
    ended = False  # every outcome received, or the pool broke on its own: nothing left to stop
    try:
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(), initializer=_worker_started)
        # Chunks submitted one by one rather than through `map`, whose clean-up cancels the futures from this
        # thread while the pool's own thread may be failing them (Python 3.10 and 3.11 then print a traceback).
        pending = deque(executor.submit(work, items[start : start + size]) for start in range(0, len(items), size))
        while pending:
            for outcome in pending.popleft().result():
                done += 1
                yield outcome
        ended = True
    except BrokenProcessPool:
        # A worker died (killed, out of memory): finish the rest here rather than lose the roll-up, and say so.
        ended = True
        workers_seen = _processes(executor)
        if executor is not None:
            executor.shutdown(wait=True)  # joins every worker: how each ended is known after it
        if notice is not None:
            notice(_lost_worker(workers_seen, len(items) - done))
    finally:
        if executor is not None and not ended:
            _stop(executor)
        elif executor is not None:
            executor.shutdown(wait=True)
    for item in items[done:]:
        yield from work([item])


def _worker_started() -> None:
    """In each worker, before any work. The parent alone decides when the run stops: Ctrl-C (sent to the whole
    process group) is left to it, and SIGTERM ends a worker at once instead of the handler inherited by fork,
    which would unwind it like the parent. And a worker ends when the parent does, however that happens (SIGKILL,
    the out-of-memory killer): otherwise it would wait for work forever, since its siblings keep the queue open."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent,), name="end-with-parent", daemon=True).start()


def _end_with(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()  # returns when the parent's end of a pipe closes: the parent has exited
    os._exit(1)


def _processes(executor: ProcessPoolExecutor | None) -> list[multiprocessing.process.BaseProcess]:
    """The pool's worker processes, kept in `_processes` from Python 3.8 on: the public `kill_workers` arrives
    only with Python 3.14, and the exit codes that say how a worker died are not public at all."""
    found = getattr(executor, "_processes", None)
    return list(found.values()) if isinstance(found, dict) else []


def _stop(executor: ProcessPoolExecutor) -> None:
    """Kill the workers now: what they were scoring is no longer wanted, and `shutdown` alone would wait for it.
    SIGKILL, not SIGTERM: a worker holds nothing that needs cleaning up, and cannot be caught between its start
    and the moment it resets the handler it inherited."""
    workers = _processes(executor)
    for worker in workers:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            worker.kill()
    executor.shutdown(wait=True, cancel_futures=True)
    for worker in workers:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            worker.join(timeout=5)


def _lost_worker(workers: Sequence[multiprocessing.process.BaseProcess], left: int) -> str:
    """What to tell the user when the pool broke: how the worker ended, and what was done about it."""
    codes = [worker.exitcode for worker in workers if worker.exitcode not in (None, 0)]
    # The pool sends SIGTERM to the other workers once one has died: the odd one out is the one that did.
    own = [code for code in codes if code != -signal.SIGTERM] or codes
    if not own:
        how = "ended abruptly"
    elif own[0] < 0:
        how = f"was killed by {signal.Signals(-own[0]).name}"
        if own[0] == -signal.SIGKILL:
            how += " (perhaps by the system, short of memory)"
    else:
        how = f"exited with status {own[0]}"
    noun = "assessment" if left == 1 else "assessments"
    return f"a worker process {how}; the {left} {noun} not yet scored were scored in the main process"


def _pool_context() -> BaseContext | None:
    """How worker processes start. Fork is the cheapest (nothing to import again), but forking a process that
    runs threads (a progress bar refreshing itself) can deadlock the child: then forkserver, whose workers fork
    from a fresh single-threaded process. Elsewhere than Linux, the platform's default (spawn)."""
    if not sys.platform.startswith("linux"):
        return None
    return multiprocessing.get_context("fork" if threading.active_count() == 1 else "forkserver")
