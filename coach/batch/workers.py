"""Offline batches on every core: items graded in chunks by worker processes, outcomes handed
back in input order.

Only for a grade that needs no network and no shared state (the keyword grader). The parent
reads the items as a stream in chunks of a few hundred, so the pickling is paid per chunk
rather than per item, and keeps at most `2 * workers` chunks in flight, so its memory does not
grow with the input; a file job gets each result back as its finished output line, so the
parent neither validates nor serializes a result again. Each worker has a queue of its own (a
lane), and the items of one question go to one lane: a worker loads the banks and compiles the
rules of its own questions only, once, so the work of N workers adds up to about that of one.

The processes are started with 'spawn' on every platform (chosen explicitly: the default
differs between platforms and Python versions): a worker shares nothing with the parent but the
items it is sent, whatever threads the parent runs, and a grade function must be importable by
name (a module-level function, or a `functools.partial` of one).

Nothing is lost: an item whose grade raises becomes its error, as in `BatchRun`; a chunk that
cannot be sent to a worker (an item that does not pickle) is graded in this process; the
chunks in flight when a worker process dies (killed, out of memory) become `WorkerStopped`
errors marked `retry`, which a file job grades again on its next run, and the rest of the input
goes to a fresh pool, or is graded in this process when the fresh pool stops too before it has
finished a chunk.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any, Generic, TypeVar

from coach.batch.collect import YoungCollections
from coach.batch.jsonl import result_bytes
from coach.batch.run import BatchError, BatchItem, is_environmental
from coach.result import GradeResult

CHUNK_SIZE = 256  # items per message to a worker: pickling amortised, the tail stays short
START_METHOD = "spawn"

GradeOne = Callable[[Any, Any, Any], GradeResult]  # (bank, question, answer) -> its result
Task = tuple[int, str | None, Any, Any, Any]  # index, id, bank, question, answer
P = TypeVar("P")  # an entry passed through ungraded

STOPPED = BatchError(
    type="WorkerStopped",
    message="the worker process grading this item stopped (killed, or out of memory) before "
    "it finished; a file job grades it again on its next run",
    retry=True,
)


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity mask where the system has one)."""
    sched_getaffinity = getattr(os, "sched_getaffinity", None)
    if sched_getaffinity is not None:
        return max(1, len(sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Processes:
    """How to grade a batch in worker processes: `grade` must be picklable by name."""

    grade: GradeOne
    workers: int
    chunk_size: int = CHUNK_SIZE
    start_method: str = START_METHOD

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        if self.chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")


@dataclass(slots=True)  # not frozen: one is made per item, in a third of a frozen one's time
class Graded:
    """One item's outcome: its output line or its result (as asked for), or its error."""

    index: int
    id: str | None
    line: bytes | None = None  # the whole output line of a result in UTF-8, "\n" included
    result: GradeResult | None = None
    error: BatchError | None = None


def grade_chunk(grade: GradeOne, tasks: list[Task], lines: bool) -> list[Graded]:
    """Grade `tasks` one after another; every item ends in an outcome, whatever it holds.

    Automatic collection is paused meanwhile (`coach.batch.collect`): the rules and caches a
    process builds as it grades would otherwise set off full collections, each a walk over
    every object the process holds, at a cost of a few hundred grades."""
    done: list[Graded] = []
    with YoungCollections() as collect:
        for index, job_id, bank, question, answer in tasks:
            collect.tick()
            try:
                result = grade(bank, question, answer)
            except Exception as exc:  # that item's error, never the chunk's
                collect.failed()
                error = BatchError(
                    type=type(exc).__name__, message=str(exc), retry=is_environmental(exc)
                )
                done.append(Graded(index, job_id, error=error))
                continue
            if lines:  # the line `coach.batch.jobs` would write, made here, not in the parent
                # (as bytes: pickled as they are, where text is encoded and decoded on the way)
                done.append(Graded(index, job_id, line=result_bytes(job_id, result)))
            else:
                done.append(Graded(index, job_id, result=result))
    return done


def _start_worker() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the job, the workers only
    # finish their chunk, rather than each printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()


def _exit_with(parent_sentinel: int) -> None:
    """End this worker when its parent is gone (killed): a spawned worker holds both ends of
    its task queue, so it would otherwise wait for tasks forever."""
    wait([parent_sentinel])
    os._exit(1)


@dataclass(frozen=True)
class _Held(Generic[P]):
    """An entry that is not graded (a bad input line's record): kept in its place."""

    value: P


Entry = Task | _Held[P]


def _chunks(items: Iterable[BatchItem | P], size: int) -> Iterator[list[Entry[P]]]:
    chunk: list[Entry[P]] = []
    for index, item in enumerate(items):
        if isinstance(item, BatchItem):
            chunk.append((index, item.id, item.bank, item.question, item.answer))
        else:
            chunk.append(_Held(item))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _tasks(chunk: list[Entry[P]]) -> list[Task]:
    return [entry for entry in chunk if not isinstance(entry, _Held)]


def _merged(chunk: list[Entry[P]], done: list[Graded]) -> Iterator[Graded | P]:
    """The chunk's outcomes in its order: the graded ones, and the held ones in their place."""
    graded = iter(done)
    for entry in chunk:
        yield entry.value if isinstance(entry, _Held) else next(graded)


def graded_in_order(
    processes: Processes, items: Iterable[BatchItem | P], *, lines: bool = False
) -> Generator[Graded | P, None, None]:
    """Every item's outcome, in input order, as soon as it and those before it are graded;
    an entry that is not a `BatchItem` is passed through as it is, in its place.

    `items` is read as the workers free up. An input of one chunk or less, or `workers=1`,
    is graded in this process: starting a pool would cost more than it saves. Close the
    generator (`contextlib.closing`) when stopping early: that stops the workers.
    """
    chunks = _chunks(items, processes.chunk_size)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if second is None or processes.workers == 1:
        for chunk in _prepend([first] if second is None else [first, second], chunks):
            yield from _merged(chunk, grade_chunk(processes.grade, _tasks(chunk), lines))
        return
    pipeline: _Pipeline[P] = _Pipeline(processes, lines)
    try:
        yield from pipeline.run(_prepend([first, second], chunks))
    finally:
        pipeline.close()


def _prepend(
    head: list[list[Entry[P]]], rest: Iterator[list[Entry[P]]]
) -> Iterator[list[Entry[P]]]:
    yield from head
    yield from rest


class _Pipeline(Generic[P]):
    """One lane per worker, with a bounded window of chunks in flight, drained in order."""

    def __init__(self, processes: Processes, lines: bool) -> None:
        self.processes = processes
        self.lines = lines
        context = multiprocessing.get_context(processes.start_method)
        self.lanes = [_Lane(context) for _ in range(processes.workers)]
        self.router = _Router(processes.workers)

    def run(self, chunks: Iterator[list[Entry[P]]]) -> Iterator[Graded | P]:
        window = 2 * self.processes.workers
        pending: deque[_Sent[P]] = deque()
        for chunk in chunks:
            pending.append(self._submit(chunk))
            while len(pending) >= window:
                yield from self._settle(pending.popleft())
        while pending:
            yield from self._settle(pending.popleft())

    def _submit(self, chunk: list[Entry[P]]) -> _Sent[P]:
        """The chunk's items on their way, each to the lane of its question."""
        shares: list[list[Task]] = [[] for _ in self.lanes]
        for task in _tasks(chunk):
            shares[self.router.lane(task[2], task[3])].append(task)
        parts = [
            self.lanes[n].submit(self.processes.grade, share, self.lines)
            for n, share in enumerate(shares)
            if share
        ]
        return _Sent(chunk, parts)

    def _settle(self, sent: _Sent[P]) -> Iterator[Graded | P]:
        done = [g for part in sent.parts for g in part.lane.settle(part, self.processes.grade)]
        done.sort(key=lambda graded: graded.index)
        return _merged(sent.chunk, done)

    def close(self) -> None:
        for lane in self.lanes:
            lane.close()


class _Router:
    """The lane of an item. A question stays on one lane, so its rules are compiled by one
    worker rather than by each (compiling takes as long as some forty grades); a question seen
    more than `HOT` times is spread over the least loaded lanes, so that a job of one question
    still runs on every core."""

    HOT = 256
    MAX_KEYS = 10_000  # questions remembered; past that, forgotten and routed afresh

    def __init__(self, lanes: int) -> None:
        self.load = [0] * lanes  # items routed to each lane
        self.lane_of: dict[tuple[object, object], int] = {}
        self.seen: dict[tuple[object, object], int] = {}

    def lane(self, bank: Any, question: Any) -> int:
        key = (_name(bank), _name(question))
        if len(self.seen) >= self.MAX_KEYS and key not in self.seen:
            self.seen.clear()
            self.lane_of.clear()
        seen = self.seen[key] = self.seen.get(key, 0) + 1
        lane = self.lane_of.get(key)
        if lane is None or seen > self.HOT:
            lane = self.lane_of[key] = self.load.index(min(self.load))
        self.load[lane] += 1
        return lane


def _name(ref: Any) -> object:
    """What names a bank or question for routing: its id or path, else the object itself."""
    return os.fspath(ref) if isinstance(ref, (str, os.PathLike)) else id(ref)


class _Lane:
    """One worker process with a queue of its own. When it dies, the parts it held end as
    `WorkerStopped` and the next part starts a fresh one, unless a fresh one died too before
    finishing a part: then this lane's parts are graded in this process."""

    def __init__(self, context: Any) -> None:
        self.context = context
        self.pool: ProcessPoolExecutor | None = None
        self.in_process = False
        self.finished = True  # whether the current process (or the first) finished a part

    def submit(self, grade: GradeOne, tasks: list[Task], lines: bool) -> _Part:
        if self.in_process:
            return _Part(self, tasks, lines)
        if self.pool is None:
            self.pool = ProcessPoolExecutor(1, mp_context=self.context, initializer=_start_worker)
        try:
            future = self.pool.submit(grade_chunk, grade, tasks, lines)
        except BrokenProcessPool:  # it died since the last part was sent: that one ends stopped
            self._restart()
            return self.submit(grade, tasks, lines)  # a fresh pool, or this process: no loop
        return _Part(self, tasks, lines, future, self.pool)

    def settle(self, part: _Part, grade: GradeOne) -> list[Graded]:
        if part.future is None:
            return grade_chunk(grade, part.tasks, part.lines)
        try:
            done = part.future.result()
        except BrokenProcessPool:
            if part.pool is self.pool:  # not a process dropped already
                self._restart()
            return [Graded(index, job_id, error=STOPPED) for index, job_id, *_ in part.tasks]
        except Exception:  # the part did not get there or back (an item that does not pickle)
            return grade_chunk(grade, part.tasks, part.lines)
        if part.pool is self.pool:
            self.finished = True
        return done

    def _restart(self) -> None:
        assert self.pool is not None
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = None
        self.in_process = not self.finished
        self.finished = False

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


@dataclass(frozen=True)
class _Part:
    """The share of a chunk sent to one lane."""

    lane: _Lane
    tasks: list[Task]
    lines: bool
    future: Future[list[Graded]] | None = None  # None: graded in this process
    pool: ProcessPoolExecutor | None = None


@dataclass(frozen=True)
class _Sent(Generic[P]):
    chunk: list[Entry[P]]
    parts: list[_Part]
