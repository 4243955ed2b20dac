"""Work off the GUI thread: :class:`TaskRunner`.

A screen hands each service call to the runner::

    self._tasks.run(self._api.receiving.find_return_by_scan, rma_no,
                    on_done=self._on_return_found, on_error=self._on_find_failed,
                    busy=[self.scan_field], key="find-return")

``fn(*args, **kwargs)`` runs on a ``QThreadPool`` worker; ``on_done(result)`` or
``on_error(exception)`` is then called on the GUI thread. The result must be plain data (the
services return frozen dataclasses), never an object bound to the worker's database session.

How results get back to the GUI thread: the runner (a QObject living on the GUI thread) has a
private signal that workers emit; it is connected to a bound method of the runner with a queued
connection, so the slot runs in the GUI event loop. Callbacks are never connected directly to a
worker-side object: a lambda connected to a QObject created in a worker runs in the worker.

Tasks with the same ``key`` supersede each other: when a newer one is started, the result (or
error) of the older one is dropped when it arrives (generation numbers), and its busy widgets are
released at once. Errors of dropped tasks are still logged, never silently lost.

``busy`` widgets are disabled while their task runs and enabled again afterwards, unless they had
been disabled explicitly before (that state is left alone). :attr:`TaskRunner.busy_changed`
reports whether any task is running; :attr:`TaskRunner.all_idle` fires when the last one ends
(tests wait on it). ``synchronous=True`` runs everything in the caller's thread, for screenshots
and scripted rendering.
"""

from __future__ import annotations

import functools

import itertools
import logging
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QWidget

from returndesk.domain.errors import concurrency_problem

log = logging.getLogger(__name__)

DoneCallback = Callable[[Any], object]
ErrorCallback = Callable[[BaseException], object]


@dataclass(eq=False)
class _Task:
    id: int
    key: Hashable | None
    generation: int
    on_done: DoneCallback | None
    on_error: ErrorCallback | None
    busy: list[QWidget] = field(default_factory=list)
    released: bool = False


@dataclass(eq=False)
class _Hold:
    widget: QWidget
    count: int
    restore: bool  # the widget was explicitly enabled before the first hold


class _Job(QRunnable):
    """Runs one task on a pool thread and reports through the runner's queued signal."""

    def __init__(self, runner: TaskRunner, task_id: int, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        super().__init__()
        self._runner = runner
        self._task_id = task_id
        self._fn: Callable[..., Any] | None = fn
        self._args: tuple | None = args
        self._kwargs: dict | None = kwargs

    def run(self) -> None:
        try:
            assert self._fn is not None and self._args is not None and self._kwargs is not None
            result, error = self._fn(*self._args, **self._kwargs), None
        except BaseException as exc:
            # A write another station's write refused at the same moment (a unique key, a deadlock)
            # reaches the screen as the ConcurrentChange it is: reload and try again.
            concurrent = concurrency_problem(exc)
            if concurrent is not None:
                concurrent.__cause__ = exc
                # Kept in the log with the database's words (the constraint), in case it recurs.
                log.warning("a write was refused by a concurrent one: %s", exc, exc_info=exc)
            result, error = None, concurrent or exc
        # Drop the references here, not whenever the pool deletes the runnable.
        self._fn = self._args = self._kwargs = None
        try:
            self._runner._finished.emit(self._task_id, result, error)
        except RuntimeError:
            # The runner was deleted (its window closed) while this task ran: nobody is left
            # to tell. Say so rather than lose an error without a trace.
            if error is not None:
                log.error("task finished after its runner was deleted", exc_info=error)


def _receiver_alive(callback: object, depth: int = 2) -> bool:
    """Whether the Qt objects ``callback`` acts on still exist: the object of a bound method, and
    the objects a lambda or nested function closes over (``lambda rows: self._on_loaded(rows)``),
    or a ``functools.partial`` wraps. A screen closed while its load ran gets no result."""
    if isinstance(callback, QObject):
        return shiboken6.isValid(callback)
    if callback is None or not callable(callback):
        return True
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, QObject) and not shiboken6.isValid(owner):
        return False
    if depth <= 0:
        return True
    if isinstance(callback, functools.partial):
        return all(_receiver_alive(part, depth - 1) for part in (callback.func, *callback.args))
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            captured = cell.cell_contents
        except ValueError:  # a cell not filled yet
            continue
        if not _receiver_alive(captured, depth - 1):
            return False
    return True


class TaskRunner(QObject):
    """Runs callables on a thread pool and delivers results on the GUI thread.

    ``error_handler`` receives the exceptions of tasks started without ``on_error`` (normally
    :meth:`returndesk.ui.errors.ErrorPresenter.present`); without one, such an exception is logged
    and raised again in the GUI thread, where Qt's exception hook reports it.
    """

    busy_changed = Signal(bool)
    all_idle = Signal()
    _finished = Signal(int, object, object)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        pool: QThreadPool | None = None,
        error_handler: ErrorCallback | None = None,
        synchronous: bool = False,
    ) -> None:
        super().__init__(parent)
        if pool is None:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(max(2, min(4, QThreadPool.globalInstance().maxThreadCount())))
        self._pool = pool
        self._error_handler = error_handler
        self._synchronous = synchronous
        self._ids = itertools.count(1)
        self._tasks: dict[int, _Task] = {}
        self._jobs: dict[int, _Job] = {}
        self._generations: dict[Hashable, int] = {}
        self._holds: dict[int, _Hold] = {}
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    # ------------------------------------------------------------------ public API

    @property
    def synchronous(self) -> bool:
        return self._synchronous

    def set_error_handler(self, handler: ErrorCallback | None) -> None:
        """Where errors of tasks without their own ``on_error`` go."""
        self._error_handler = handler

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        busy: Iterable[QWidget] = (),
        key: Hashable | None = None,
        **kwargs: Any,
    ) -> int:
        """Run ``fn(*args, **kwargs)`` off the GUI thread; return the task's id.

        ``on_done(result)`` / ``on_error(exception)`` are called on the GUI thread, unless a newer
        task with the same ``key`` was started in the meantime. ``busy`` widgets are disabled until
        the task ends (or is superseded). ``on_done``, ``on_error``, ``busy`` and ``key`` belong to
        the runner; to pass arguments of those names to ``fn``, wrap it in ``functools.partial``.
        """
        task_id = next(self._ids)
        generation = 0
        if key is not None:
            generation = self._generations.get(key, 0) + 1
            self._generations[key] = generation
            for older in self._tasks.values():
                if older.key == key:
                    self._release(older)
        task = _Task(task_id, key, generation, on_done, on_error, list(busy))
        self._hold(task)
        self._tasks[task_id] = task
        if len(self._tasks) == 1:
            self.busy_changed.emit(True)
        if self._synchronous:
            try:
                result, error = fn(*args, **kwargs), None
            except BaseException as exc:
                result, error = None, exc
            self._on_finished(task_id, result, error)
        else:
            job = _Job(self, task_id, fn, args, kwargs)
            job.setAutoDelete(False)  # the runner keeps it until its result is delivered
            self._jobs[task_id] = job
            self._pool.start(job)
        return task_id

    def invalidate(self, key: Hashable) -> None:
        """Drop the pending result of any running task with ``key`` (e.g. the screen was left)."""
        self._generations[key] = self._generations.get(key, 0) + 1
        for task in self._tasks.values():
            if task.key == key:
                self._release(task)

    def running_count(self) -> int:
        """How many tasks have started and not yet delivered (including superseded ones)."""
        return len(self._tasks)

    def is_idle(self) -> bool:
        return not self._tasks

    def wait_idle(self, timeout_ms: int = 10_000) -> bool:
        """Run the event loop until no task is running; False if ``timeout_ms`` passed first.

        Meant for tests and shutdown; screens react to :attr:`all_idle` instead.
        """
        if self.is_idle():
            return True
        loop = QEventLoop()
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        self.all_idle.connect(loop.quit)
        try:
            timer.start(timeout_ms)
            loop.exec()
        finally:
            self.all_idle.disconnect(loop.quit)
            timer.stop()
        return self.is_idle()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Wait for the pool's threads to finish (on quit); True if they all did."""
        return self._pool.waitForDone(timeout_ms)

    # ------------------------------------------------------------------ internals

    def _is_current(self, task: _Task) -> bool:
        return task.key is None or self._generations.get(task.key) == task.generation

    def _on_finished(self, task_id: int, result: Any, error: BaseException | None) -> None:
        task = self._tasks.pop(task_id, None)
        self._jobs.pop(task_id, None)
        if task is None:
            return
        try:
            self._release(task)
            if not self._is_current(task):
                if error is not None:
                    log.warning("superseded task %r failed; its error is not shown", task.key, exc_info=error)
                return
            if error is None:
                if task.on_done is not None and _receiver_alive(task.on_done):
                    task.on_done(result)
            elif task.on_error is not None:
                if _receiver_alive(task.on_error):
                    task.on_error(error)
                else:
                    log.error("task failed after its screen was closed", exc_info=error)
            elif self._error_handler is not None:
                self._error_handler(error)
            else:
                log.error("task failed and nothing handles its error", exc_info=error)
                raise error
        finally:
            if not self._tasks:
                self.busy_changed.emit(False)
                self.all_idle.emit()

    def _hold(self, task: _Task) -> None:
        for widget in task.busy:
            hold = self._holds.get(id(widget))
            if hold is not None and hold.widget is widget:
                hold.count += 1
                continue
            explicit = not widget.testAttribute(Qt.WidgetAttribute.WA_ForceDisabled)
            self._holds[id(widget)] = _Hold(widget, 1, explicit)
            widget.setEnabled(False)

    def _release(self, task: _Task) -> None:
        if task.released:
            return
        task.released = True
        for widget in task.busy:
            hold = self._holds.get(id(widget))
            if hold is None or hold.widget is not widget:
                continue
            hold.count -= 1
            if hold.count == 0:
                del self._holds[id(widget)]
                if hold.restore and shiboken6.isValid(widget):
                    widget.setEnabled(True)

