"""At most a few requests of a process run at once; the others queue for a slot.

Python runs one thread at a time. With 32 request threads all runnable, a thread that holds SQLite's
write lock (see ``quizapp.grading.sqlite``) waited its turn for the interpreter behind every other one
at each step of its transaction, so a millisecond transaction held the lock for tens of milliseconds
and every writer in every process queued behind it. With a few slots, the runnable threads are few,
the lock is held briefly, and the waiting requests cost nothing. A long poll gives its slot back while
it waits for a verdict (``released``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g

_EXTENSION = "quizapp_gate"


class RequestGate:
    """A counting semaphore held from the start of a request to its teardown."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._semaphore = threading.BoundedSemaphore(slots)

    def enter(self) -> None:
        """Wait for a slot (first thing in a request)."""
        self._semaphore.acquire()
        g._gate_held = True

    def leave(self, _error: BaseException | None = None) -> None:
        """Give the slot back (the request's teardown); harmless when none is held."""
        if g.pop("_gate_held", False):
            self._semaphore.release()

    @contextmanager
    def released(self) -> Iterator[None]:
        """Give the slot back while the block waits (a long poll), and take one again after it."""
        held = g.pop("_gate_held", False)
        if held:
            self._semaphore.release()
        try:
            yield
        finally:
            if held:
                self.enter()


def init_app(app: Flask) -> None:
    """Install the gate before every other request hook; ``REQUEST_CONCURRENCY`` 0 turns it off."""
    slots = int(app.config.get("REQUEST_CONCURRENCY", 0))
    if slots <= 0:
        return
    gate = RequestGate(slots)
    app.extensions[_EXTENSION] = gate
    app.before_request_funcs.setdefault(None, []).insert(0, gate.enter)
    app.teardown_request(gate.leave)


@contextmanager
def released() -> Iterator[None]:
    """The current app's ``RequestGate.released``, or nothing when there is no gate."""
    gate: RequestGate | None = current_app.extensions.get(_EXTENSION)
    if gate is None:
        yield
        return
    with gate.released():
        yield
