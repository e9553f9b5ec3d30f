"""Trusted side of the sandbox: a pool of zygote processes and the I/O of one job.

:class:`SandboxPool` starts one zygote per worker with a clean environment and hands each
job to an idle one. The calling thread then does all of the job's I/O itself, with
``poll``: it writes the job to the child, reads the child's result frames and printed
output (both capped) and waits for the zygote's report of how the job ended. The pool is
thread-safe; a zygote that misbehaves is killed and replaced.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import queue
import select
import socket
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import asdict, dataclass, field
from typing import Any

from graders import wire
from graders.sandbox.limits import Limits

GRADERS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SANDBOX_LIB = os.path.join(GRADERS_DIR, "sandbox_lib")
CLEAN_ENV = {
    "PATH": "/usr/bin:/bin",
    "LC_ALL": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
# Runs in a fresh interpreter: registers an empty ``graders`` package so the zygote
# imports only its own modules (never ``graders/__init__``, the catalogue or pydantic).
_BOOT = (
    "import sys, types\n"
    "pkg = types.ModuleType('graders'); pkg.__path__ = [sys.argv[1]]; sys.modules['graders'] = pkg\n"
    "from graders.sandbox.zygote import main\n"
    "main(sys.argv[2])\n"
)
_CHUNK = 1 << 16


class SandboxError(RuntimeError):
    """The platform itself failed (a zygote could not start or stopped answering)."""


@dataclass(frozen=True)
class PoolConfig:
    """How zygotes are started."""

    workers: int = 2
    # Jobs run as uid_base + the zygote's pid: no account's uid, and unique among live zygotes of
    # every pool on the machine, so RLIMIT_NPROC (counted per uid) never couples two sandboxes.
    uid_base: int = 1_000_000_000
    cgroup_memory_bytes: int = 768 << 20
    cgroup_pids: int = 64
    # The scheduling priority of zygotes and their jobs: student code, busy loops included, yields the CPU
    # to the web and to the trusted side whenever both want it (10 gets about a tenth of a core's share
    # against a process at 0).
    nice: int = 10
    python: str = sys.executable
    start_timeout_s: float = 60.0
    debug: bool = False  # let zygotes write diagnostics to this process's stderr


@dataclass
class JobResult:
    """Everything the trusted side learned about one job (all of it untrusted except the exit report)."""

    frames: list[wire.Frame]
    stream_problem: str
    output: bytes
    output_bytes: int
    exit_code: int
    killed: str
    wall_s: float
    cpu_s: float
    oom_kill: int
    pids_max: int
    report: dict[str, Any] = field(default_factory=dict)


def _close(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)


class Zygote:
    """Handle on one zygote process."""

    def __init__(self, slot: int, config: PoolConfig) -> None:
        self.slot = slot
        self.sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        zygote_config = {
            "sock_fd": theirs.fileno(),
            "uid_base": config.uid_base,
            "sandbox_lib": SANDBOX_LIB,
            "memory_bytes": config.cgroup_memory_bytes,
            "pids_max": config.cgroup_pids,
            "nice": config.nice,
        }
        try:
            self.proc = subprocess.Popen(
                [config.python, "-I", "-B", "-c", _BOOT, GRADERS_DIR, json.dumps(zygote_config)],
                env=CLEAN_ENV,
                cwd="/",
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=None if config.debug else subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
                start_new_session=True,
            )
        finally:
            theirs.close()
        self.report: dict[str, Any] = {}

    def wait_ready(self, timeout: float) -> dict[str, Any]:
        """Wait for the zygote's isolation report."""
        self.sock.settimeout(timeout)
        try:
            msg = self.sock.recv(1 << 20)
        except TimeoutError:
            self.kill()
            raise SandboxError("a sandbox zygote did not start in time") from None
        finally:
            self.sock.settimeout(None)
        report = json.loads(msg) if msg else {"op": "failed", "error": "the zygote exited during start-up"}
        if report.get("op") != "ready":
            self.kill()
            why = str(report.get("error", report))[-2000:]
            if os.geteuid() != 0:
                why += " (without root, the sandbox needs unprivileged user namespaces)"
            raise SandboxError(f"the sandbox could not start: {why}")
        self.report = report
        return report

    def run(self, job: bytes, limits: Limits) -> JobResult:
        """Run one job in a fresh isolated child of this zygote (blocking; all I/O in this thread)."""
        request = {"op": "run", **asdict(limits)}
        job_r, job_w = os.pipe2(os.O_CLOEXEC)
        res_r, res_w = os.pipe2(os.O_CLOEXEC)
        out_r, out_w = os.pipe2(os.O_CLOEXEC)
        try:
            socket.send_fds(self.sock, [json.dumps(request).encode()], [job_r, res_w, out_w])
        except OSError as exc:
            for fd in (job_r, job_w, res_r, res_w, out_r, out_w):
                _close(fd)
            raise SandboxError(f"the sandbox zygote is gone ({exc})") from None
        for fd in (job_r, res_w, out_w):
            _close(fd)
        ours = {job_w, res_r, out_r}  # each closed exactly once: a second close could hit a reused number
        try:
            return self._pump(job, limits, job_w, res_r, out_r, ours)
        finally:
            for fd in ours:
                _close(fd)

    def _pump(
        self, job: bytes, limits: Limits, job_w: int, res_r: int, out_r: int, ours: set[int]
    ) -> JobResult:
        for fd in (job_w, res_r, out_r):
            os.set_blocking(fd, False)
        poller = select.poll()
        poller.register(job_w, select.POLLOUT)
        poller.register(res_r, select.POLLIN)
        poller.register(out_r, select.POLLIN)
        poller.register(self.sock, select.POLLIN)
        sock_fd = self.sock.fileno()
        live = {job_w, res_r, out_r}
        pending = memoryview(job)
        results, output = bytearray(), bytearray()
        output_bytes = 0
        report: dict[str, Any] | None = None
        kill_sent = False
        backstop = time.monotonic() + limits.wall_s + 15.0

        def stop(fd: int) -> None:
            live.discard(fd)
            poller.unregister(fd)

        def kill(reason: str) -> None:
            nonlocal kill_sent
            if not kill_sent and report is None:
                kill_sent = True
                self.sock.send(json.dumps({"op": "kill", "reason": reason}).encode())

        while report is None or live - {job_w}:
            if report is not None and job_w in live:
                stop(job_w)
            remaining = backstop - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise SandboxError("a sandbox zygote stopped answering")
            for fd, _event in poller.poll(int(remaining * 1000) + 1):
                if fd == job_w:
                    try:
                        pending = pending[os.write(job_w, pending[:_CHUNK]) :]
                    except BlockingIOError:
                        continue
                    except OSError:
                        pending = pending[:0]
                    if not pending:
                        stop(job_w)
                        ours.discard(job_w)
                        _close(job_w)  # the child reads the job until end of file
                elif fd == sock_fd:
                    msg = self.sock.recv(1 << 16)
                    if not msg:
                        self.kill()
                        raise SandboxError("a sandbox zygote exited unexpectedly")
                    report = json.loads(msg)
                    if report.get("op") != "exit":
                        self.kill()
                        raise SandboxError(f"unexpected message from a sandbox zygote: {report}")
                else:
                    try:
                        chunk = os.read(fd, _CHUNK)
                    except BlockingIOError:
                        continue
                    if not chunk:
                        stop(fd)
                    elif fd == res_r:
                        if len(results) + len(chunk) > limits.result_max:
                            kill("result_size")
                            stop(fd)
                        results += chunk
                    else:
                        output_bytes += len(chunk)
                        if len(output) < limits.output_keep:
                            output += chunk[: limits.output_keep - len(output)]
                        if output_bytes > limits.output_max:
                            kill("output")
                            stop(fd)
        frames, problem = wire.unpack_stream(bytes(results))
        return JobResult(
            frames=frames,
            stream_problem=problem,
            output=bytes(output),
            output_bytes=output_bytes,
            exit_code=int(report.get("exit_code", -1)),
            killed=str(report.get("killed", "")),
            wall_s=float(report.get("wall_s", 0.0)),
            cpu_s=float(report.get("cpu_s", 0.0)),
            oom_kill=int(report.get("oom_kill", 0)),
            pids_max=int(report.get("pids_max", 0)),
            report=report,
        )

    def alive(self) -> bool:
        """Whether the zygote process is still running."""
        return self.proc.poll() is None

    def kill(self) -> None:
        """Kill the zygote at once (its job, if any, dies with it through PDEATHSIG)."""
        with contextlib.suppress(OSError):
            self.proc.kill()
        self.proc.wait()
        self.sock.close()

    def close(self, timeout: float = 5.0) -> None:
        """Ask the zygote to exit (by closing its socket) and wait for it."""
        self.sock.close()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()


class SandboxPool:
    """A fixed set of warm zygotes shared by all threads of one process."""

    def __init__(self, config: PoolConfig | None = None) -> None:
        self.config = config or PoolConfig()
        self.pid = os.getpid()
        self._idle: queue.SimpleQueue[Zygote] = queue.SimpleQueue()
        self._zygotes: list[Zygote] = []
        self._lock = threading.Lock()
        self._closed = False
        self.report: dict[str, Any] = {}
        zygotes = [Zygote(slot, self.config) for slot in range(self.config.workers)]
        self._zygotes.extend(zygotes)
        try:
            for zygote in zygotes:
                self.report = zygote.wait_ready(self.config.start_timeout_s)
        except BaseException:
            self.close()
            raise
        for zygote in zygotes:
            self._idle.put(zygote)
        atexit.register(_close_pool, weakref.ref(self))

    def run(self, job: bytes, limits: Limits) -> JobResult:
        """Run one job on the next idle zygote (blocks while all are busy)."""
        if os.getpid() != self.pid:
            raise SandboxError("this sandbox pool belongs to another process")
        if self._closed:
            raise SandboxError("the sandbox pool is closed")
        zygote = self._idle.get()
        try:
            return zygote.run(job, limits)
        except SandboxError:
            zygote = self._replace(zygote)
            return zygote.run(job, limits)
        finally:
            self._release(zygote)

    def _replace(self, broken: Zygote) -> Zygote:
        if broken.alive():
            broken.kill()
        fresh = Zygote(broken.slot, self.config)
        with self._lock:
            self._zygotes[self._zygotes.index(broken)] = fresh
        fresh.wait_ready(self.config.start_timeout_s)
        return fresh

    def _release(self, zygote: Zygote) -> None:
        with self._lock:
            closed = self._closed
        if closed:
            zygote.close()
        else:
            self._idle.put(zygote)

    def processes(self) -> list[int]:
        """PIDs of the live zygotes."""
        with self._lock:
            return [z.proc.pid for z in self._zygotes if z.alive()]

    def job_uids(self) -> list[int]:
        """The uid each live zygote's jobs run as."""
        with self._lock:
            return [int(z.report["uid"]) for z in self._zygotes if z.alive() and "uid" in z.report]

    def close(self) -> None:
        """Stop every zygote and wait for it; idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            zygotes = list(self._zygotes)
        if os.getpid() != self.pid:
            return
        for zygote in zygotes:
            zygote.close()


def _close_pool(ref: weakref.ReferenceType[SandboxPool]) -> None:
    pool = ref()
    if pool is not None:
        pool.close()
