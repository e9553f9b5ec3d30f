"""The zygote: a warm, single-threaded process that forks one fully isolated child per job.

Started by the trusted grader with a clean environment (``OPENBLAS_NUM_THREADS=1``) and no
inherited descriptors except its control socket, it imports NumPy, the course helpers and
everything the child needs, builds the seccomp filter and its cgroup slot, then pivots
into the minimal read-only root. It never holds a job's data: the code, inputs and outputs
flow through pipes that the grader passes for each job and that only the child reads.

Per job (``run`` request with three descriptors): ``unshare(CLONE_NEWPID)``, ``fork``, and
``setns`` back to its own pid namespace. The child is PID 1 of a fresh pid namespace; it
joins the cgroup slot, unshares mount, ipc and uts namespaces (the network namespace is the zygote's
own, empty one, see :meth:`Zygote.start`), mounts a private tmpfs
on /tmp, sets rlimits, drops to an unprivileged uid with no capabilities, sets
no_new_privs, installs seccomp and runs the submission (:mod:`graders.sandbox.runner`).
The zygote enforces the wall-clock deadline by SIGKILLing that PID 1, which takes the whole
namespace with it (signal-ignoring or stopped processes included), and reports
how the job ended: exit status, CPU time, and the cgroup's OOM and pids counters.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import math
import os
import resource
import select
import signal
import socket
import sys
import time
import traceback
from typing import Any, NoReturn

import numpy as np

from graders import wire
from graders.sandbox import isolation as iso
from graders.sandbox import rootfs, runner, seccomp
from graders.sandbox.cgroup import CgroupSlot
from graders.sandbox.limits import SETUP_FAILED, cpu_limit

# Modules a submission commonly imports, loaded once here so a job never pays for them.
PRELOAD = (
    "math",
    "cmath",
    "itertools",
    "functools",
    "collections",
    "copy",
    "random",
    "time",
    "typing",
    "dataclasses",
    "re",
    "string",
    "operator",
    "heapq",
    "bisect",
    "json",
    "warnings",
    "threading",
    "decimal",
    "fractions",
    "statistics",
    "numpy.random",
    "numpy.linalg",
    "numpy.fft",
)
_SCRATCH_INODES = 512


def _vm_size() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _warm_up() -> None:
    """Run the child's code paths once, so lazy imports and caches are filled before any fork."""
    sample = np.random.default_rng(0).standard_normal((4, 3))
    blobs: list[bytes] = []
    tree = wire.encode_value(
        (sample @ sample.T, {"w": sample, "n": np.float64(1.0)}, 1.5, 2, None, True), blobs
    )
    frames, _ = wire.unpack_stream(wire.pack({"value": tree}, blobs))
    wire.decode_value(frames[0].header["value"], frames[0].blobs)
    np.tanh(sample) + np.exp(sample - sample.max(axis=0, keepdims=True)).sum(axis=0, keepdims=True)
    try:
        snippet = "def f():\n    raise ValueError('x')\nf()\n"
        exec(compile(snippet, runner.FILENAME, "exec"), {})  # noqa: S102 - a fixed warm-up snippet
    except ValueError as exc:
        runner.describe(exc)


def _set_autogroup_nice(nice: int) -> int | None:
    """Give this process's autogroup (its session's scheduling group) the nice value ``nice``; return the
    value the kernel reports, or None on a kernel without autogrouping."""
    try:
        iso.write_file("/proc/self/autogroup", str(nice))
        with open("/proc/self/autogroup") as group:  # "/autogroup-42 nice 10"
            return int(group.read().split()[-1])
    except (OSError, ValueError, IndexError):
        return None


class Zygote:
    """State of the running zygote (everything here is public knowledge, never job data)."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.sock = socket.socket(fileno=int(config["sock_fd"]))
        self.rootless = os.geteuid() != 0
        self.uid = os.getuid() if self.rootless else int(config["uid_base"]) + os.getpid()
        self.gid = os.getgid() if self.rootless else self.uid
        self.sandbox_lib = str(config["sandbox_lib"])
        self.nice = int(config.get("nice", 0))
        self.slot = CgroupSlot(int(config["memory_bytes"]), int(config["pids_max"]))
        self.notes: list[str] = []
        self.filter = seccomp.CompiledFilter()
        self.pidns_fd = -1
        # Held open by the zygote for its whole life: a job that sees end of file on the read end
        # knows the zygote died before the job could arm PDEATHSIG.
        self.alive_r, self.alive_w = os.pipe()
        self.vm_size = 0
        self.scratch = ""
        self.import_path: list[str] = []
        self.autogroup_nice: int | None = None

    def start(self) -> dict[str, Any]:
        """Preload, isolate this process's view and return the isolation report."""
        # Jobs inherit this priority: a busy loop runs only on CPU the web and the trusted side leave
        # idle, and still meets its wall-clock limit. A thread's nice value only ranks it within its
        # scheduling group, and with autogrouping (sched(7)) the zygote's session is a group of its own
        # that the kernel weighs like the web server's whole session: the group gets the same value.
        os.setpriority(os.PRIO_PROCESS, 0, self.nice)
        self.autogroup_nice = _set_autogroup_nice(self.nice)
        # Jobs may run on any core, even when the process that started the zygote is pinned to one
        # (make run pins each web worker): the kernel keeps the set to what this process may use.
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, range(os.cpu_count() or 1))
        sys.path.insert(0, self.sandbox_lib)
        __import__("rnn_utils")
        for name in PRELOAD:
            __import__(name)
        _warm_up()
        gc.collect()
        if self.rootless:
            self._enter_user_namespace()
        if not self.rootless and (note := self.slot.create()):
            self.notes.append(note)
        # An empty network namespace of the zygote's own, which its jobs share one after another: a job
        # cannot change it (no capabilities) and what it opens there dies with it, so a namespace per job
        # would only cost its creation and its teardown (a kernel worker's time) on every job.
        iso.unshare(iso.CLONE_NEWNET)
        self.pidns_fd = os.open("/proc/self/ns/pid", os.O_RDONLY)
        self.vm_size = _vm_size()
        keep = {self.sock.fileno(), self.pidns_fd, self.alive_r, self.alive_w, *self.slot.open_fds()}
        for fd in [int(name) for name in os.listdir("/proc/self/fd")]:
            if fd > 2 and fd not in keep:
                with contextlib.suppress(OSError):
                    os.close(fd)
        numpy_dir = os.path.dirname(np.__file__)
        packages = [numpy_dir, numpy_dir + ".libs", self.sandbox_lib]
        private = [os.path.dirname(os.path.dirname(self.sandbox_lib))]  # the project tree
        if sys.prefix != sys.base_prefix:
            private.append(sys.prefix)  # the virtual environment (only NumPy is exposed from it)
        binds, self.scratch = rootfs.enter_minimal_root(packages, private=private)
        self.import_path = [p for p in sys.path if p and os.path.isdir(p)]
        sys.meta_path[:] = [
            m for m in sys.meta_path if getattr(m, "__module__", "").startswith("_frozen_importlib")
        ]
        sys.path_importer_cache.clear()
        gc.freeze()  # keep the collector off inherited objects: fewer copy-on-write faults per job
        return {
            "op": "ready",
            "pid": os.getpid(),
            "uid": self.uid,
            "rootless": self.rootless,
            "cgroup": {"version": self.slot.version, "controllers": self.slot.controllers},
            "seccomp": True,
            "nice": os.getpriority(os.PRIO_PROCESS, 0),
            "autogroup_nice": self.autogroup_nice,
            "binds": binds,
            "scratch": self.scratch,
            "notes": self.notes,
        }

    def _enter_user_namespace(self) -> None:
        """Without root: become root of a new user namespace, in a pid namespace it owns.

        The process the grader started stays behind as a shim that mirrors the zygote's exit;
        the zygote dies with it (PDEATHSIG). Owning its pid namespace lets the zygote restore
        ``pid_ns_for_children`` with setns after each job, as it does with real root.
        """
        uid, gid = os.getuid(), os.getgid()
        iso.unshare(iso.CLONE_NEWUSER)
        iso.write_file("/proc/self/setgroups", "deny")
        iso.write_file("/proc/self/uid_map", f"0 {uid} 1")
        iso.write_file("/proc/self/gid_map", f"0 {gid} 1")
        iso.unshare(iso.CLONE_NEWPID)
        alive_r, alive_w = os.pipe()  # end of file on alive_r: the shim has exited
        child = os.fork()
        if child:
            self.sock.close()
            os.close(alive_r)
            _, status = os.waitpid(child, 0)
            os._exit(max(0, os.waitstatus_to_exitcode(status)))
        os.close(alive_w)
        iso.prctl(iso.PR_SET_PDEATHSIG, signal.SIGKILL)
        if select.select([alive_r], [], [], 0)[0]:  # the shim died before PDEATHSIG was armed
            os._exit(1)
        os.close(alive_r)
        self.uid = self.gid = 0
        self.notes.append(
            "not root: user namespace owned by the grader's user, capabilities dropped instead of a uid "
            "change, RLIMIT_NPROC shared with that user, no cgroups"
        )

    def serve(self) -> None:
        """Answer ``run`` requests until the grader closes the control socket."""
        while True:
            msg, fds, _, _ = socket.recv_fds(self.sock, 65536, 8)
            if not msg:
                return
            request = json.loads(msg)
            if request.get("op") != "run" or len(fds) != 3:
                for fd in fds:
                    os.close(fd)
                continue
            reply = self.run(request, fds)
            if reply["shutdown"]:  # the grader closed its end: nobody to answer
                return
            self.sock.send(json.dumps(reply).encode())

    def run(self, request: dict[str, Any], fds: list[int]) -> dict[str, Any]:
        """Fork, supervise and reap one job; return how it ended."""
        started = time.monotonic()
        iso.unshare(iso.CLONE_NEWPID)
        try:
            pid = os.fork()
        except BaseException:
            iso.setns(self.pidns_fd, iso.CLONE_NEWPID)
            raise
        if pid == 0:
            try:
                self._job_init(request, fds)
            finally:
                os._exit(SETUP_FAILED)
        iso.setns(self.pidns_fd, iso.CLONE_NEWPID)
        for fd in fds:
            os.close(fd)
        killed, shutdown = self._supervise(pid, started + float(request["wall_s"]))
        _, status, usage = os.wait4(pid, 0)
        events = self.slot.events_since_last()
        return {
            "op": "exit",
            "exit_code": os.waitstatus_to_exitcode(status),
            "killed": killed,
            "wall_s": time.monotonic() - started,
            "cpu_s": usage.ru_utime + usage.ru_stime,
            "max_rss_kb": usage.ru_maxrss,
            "minor_faults": usage.ru_minflt,
            "oom_kill": events["oom_kill"],
            "pids_max": events["pids_max"],
            "shutdown": shutdown,
        }

    def _supervise(self, pid: int, deadline: float) -> tuple[str, bool]:
        """Wait for the job's PID 1 to exit, killing it at the deadline or on request."""
        pidfd = os.pidfd_open(pid)
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        poller.register(self.sock, select.POLLIN)
        killed, shutdown = "", False
        try:
            while True:
                remaining = deadline - time.monotonic()
                events = poller.poll(max(0, math.ceil(remaining * 1000)) if not killed else None)
                if not events and not killed:
                    os.kill(pid, signal.SIGKILL)
                    killed = "timeout"
                for fd, _ in events:
                    if fd == pidfd:
                        return killed, shutdown
                    reason = ""
                    msg = self.sock.recv(65536)
                    if not msg:
                        shutdown, reason = True, "shutdown"
                        poller.unregister(self.sock)
                    elif json.loads(msg).get("op") == "kill":
                        reason = str(json.loads(msg).get("reason", "request"))[:40]
                    if reason and not killed:
                        os.kill(pid, signal.SIGKILL)
                        killed = reason
        finally:
            os.close(pidfd)

    def _job_init(self, request: dict[str, Any], fds: list[int]) -> NoReturn:
        """PID 1 of the job's namespace: isolate this process, then run the submission in it."""
        try:
            job_fd, result_fd, out_fd = fds
            # A process group of its own, but not a session: a new session would be a new autogroup,
            # weighed like the web server's whole session whatever the job's nice value.
            os.setpgid(0, 0)
            iso.prctl(iso.PR_SET_PDEATHSIG, signal.SIGKILL)
            os.close(self.alive_w)
            if select.select([self.alive_r], [], [], 0)[0]:  # the zygote died before PDEATHSIG was armed
                os._exit(SETUP_FAILED)
            for fd in self.slot.procs_fds:
                os.write(fd, b"0")
            iso.unshare(iso.CLONE_NEWNS | iso.CLONE_NEWIPC | iso.CLONE_NEWUTS)
            socket.sethostname("sandbox")
            rootfs.mount_scratch(
                self.scratch, int(request["scratch_bytes"]), _SCRATCH_INODES, self.uid, self.gid
            )
            stdin_r, stdin_w = os.pipe()
            os.close(stdin_w)
            # Move every source above the targets first, so no dup2 clobbers another source.
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (stdin_r, out_fd, out_fd, job_fd, result_fd)]
            for src, dst in zip(high, (0, 1, 2, runner.JOB_FD, runner.RESULT_FD), strict=True):
                os.dup2(src, dst)
            os.closerange(runner.RESULT_FD + 1, resource.getrlimit(resource.RLIMIT_NOFILE)[1])
            self.sock.detach()
            iso.set_rlimits(
                [
                    (resource.RLIMIT_CPU, cpu_limit(float(request["wall_s"]))),
                    (resource.RLIMIT_AS, self.vm_size + int(request["memory_bytes"])),
                    (resource.RLIMIT_NPROC, int(request["processes"])),
                    (resource.RLIMIT_FSIZE, int(request["file_bytes"])),
                    (resource.RLIMIT_NOFILE, int(request["open_files"])),
                    (resource.RLIMIT_CORE, 0),
                    (resource.RLIMIT_MEMLOCK, 0),
                    (resource.RLIMIT_MSGQUEUE, 0),
                ]
            )
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
                signal.signal(sig, signal.SIG_DFL)
            if self.rootless:
                iso.drop_all_capabilities()
            else:
                iso.drop_privileges(self.uid, self.gid)
            iso.prctl(iso.PR_SET_DUMPABLE, 0)
            iso.prctl(iso.PR_SET_NO_NEW_PRIVS, 1)
            self.filter.load()
        except BaseException:
            os._exit(SETUP_FAILED)
        runner.main(self.import_path)


def main(config_json: str) -> None:
    """Entry point of a zygote process (see ``graders.sandbox.pool``)."""
    config = json.loads(config_json)
    sock = socket.socket(fileno=int(config["sock_fd"]))
    sock.detach()
    try:
        zygote = Zygote(config)
        report = zygote.start()
    except BaseException as exc:
        failure = {
            "op": "failed",
            "error": f"{type(exc).__name__}: {exc}",
            "detail": traceback.format_exc()[-4000:],
        }
        with contextlib.suppress(OSError):
            socket.socket(fileno=int(config["sock_fd"])).send(json.dumps(failure).encode())
        raise SystemExit(1) from None
    zygote.sock.send(json.dumps(report).encode())
    try:
        zygote.serve()
    finally:
        zygote.slot.remove()
