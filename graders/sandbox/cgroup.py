"""Per-zygote memory and pids cgroups, reused by that zygote's jobs (one job at a time).

cgroup v1 (separate ``memory`` and ``pids`` hierarchies) and v2 (a unified hierarchy) are
both supported; where neither is writable the sandbox degrades to rlimits alone and says
so in its status. The zygote creates its slot before it pivots into the sandbox root and
keeps directory descriptors, so it can still read counters and clean up afterwards. A job
joins the slot by writing ``0`` ("this process") to the inherited ``cgroup.procs`` file.
"""

from __future__ import annotations

import contextlib
import os

CGROUP_ROOT = "/sys/fs/cgroup"
PARENT = "graders"


def _write(dir_fd: int, name: str, value: str) -> None:
    fd = os.open(name, os.O_WRONLY, dir_fd=dir_fd)
    try:
        os.write(fd, value.encode())
    finally:
        os.close(fd)


def _read_counter(dir_fd: int, name: str, key: str) -> int:
    try:
        fd = os.open(name, os.O_RDONLY, dir_fd=dir_fd)
    except OSError:
        return 0
    try:
        text = os.read(fd, 4096).decode()
    finally:
        os.close(fd)
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == key:
            return int(parts[1])
    return 0


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sweep_stale(parent: str) -> None:
    """Remove slots left by zygotes that died without cleaning up (named ``z<pid>``)."""
    with contextlib.suppress(OSError):
        for name in os.listdir(parent):
            if name.startswith("z") and name[1:].isdigit() and not _pid_alive(int(name[1:])):
                with contextlib.suppress(OSError):
                    os.rmdir(os.path.join(parent, name))


class CgroupSlot:
    """The memory and pids cgroup one zygote's jobs run in."""

    def __init__(self, memory_bytes: int, pids_max: int) -> None:
        self.name = f"z{os.getpid()}"
        self.memory_bytes = memory_bytes
        self.pids_max = pids_max
        self.version = 0
        self.controllers: list[str] = []
        self.procs_fds: list[int] = []
        self._parents: list[int] = []  # directory fds of the parents, for rmdir
        self._dirs: dict[str, int] = {}  # controller -> slot directory fd
        self._baseline: dict[str, int] = {}

    def create(self) -> str:
        """Create the slot where possible; return a plain-words note when something is missing."""
        if os.path.exists(os.path.join(CGROUP_ROOT, "cgroup.controllers")):
            return self._create_v2()
        return self._create_v1()

    def _make(self, parent: str, controller: str) -> int:
        os.makedirs(parent, exist_ok=True)
        _sweep_stale(parent)
        path = os.path.join(parent, self.name)
        os.mkdir(path)
        self._parents.append(os.open(parent, os.O_RDONLY | os.O_DIRECTORY))
        dir_fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        self._dirs[controller] = dir_fd
        return dir_fd

    def _create_v1(self) -> str:
        missing = []
        for controller in ("memory", "pids"):
            parent = os.path.join(CGROUP_ROOT, controller, PARENT)
            try:
                dir_fd = self._make(parent, controller)
                if controller == "memory":
                    _write(dir_fd, "memory.limit_in_bytes", str(self.memory_bytes))
                    with contextlib.suppress(OSError):
                        _write(dir_fd, "memory.memsw.limit_in_bytes", str(self.memory_bytes))
                else:
                    _write(dir_fd, "pids.max", str(self.pids_max))
                self.procs_fds.append(os.open("cgroup.procs", os.O_WRONLY, dir_fd=dir_fd))
                self.controllers.append(controller)
            except OSError as exc:
                missing.append(f"{controller} ({exc.strerror})")
        self.version = 1 if self.controllers else 0
        self._baseline = self.counters()
        return "" if not missing else "cgroup v1 unavailable for " + ", ".join(missing)

    def _create_v2(self) -> str:
        parent = os.path.join(CGROUP_ROOT, PARENT)
        try:
            with (
                contextlib.suppress(OSError),
                open(os.path.join(CGROUP_ROOT, "cgroup.subtree_control"), "w") as control,
            ):
                control.write("+memory +pids")
            dir_fd = self._make(parent, "unified")
            parent_fd = self._parents[-1]
            with contextlib.suppress(OSError):
                _write(parent_fd, "cgroup.subtree_control", "+memory +pids")
            _write(dir_fd, "memory.max", str(self.memory_bytes))
            with contextlib.suppress(OSError):
                _write(dir_fd, "memory.swap.max", "0")
            _write(dir_fd, "pids.max", str(self.pids_max))
            self.procs_fds.append(os.open("cgroup.procs", os.O_WRONLY, dir_fd=dir_fd))
            self.controllers = ["memory", "pids"]
            self.version = 2
        except OSError as exc:
            return f"cgroup v2 unavailable ({exc.strerror})"
        self._baseline = self.counters()
        return ""

    def counters(self) -> dict[str, int]:
        """Cumulative OOM kills and refused forks in this slot."""
        if self.version == 1:
            oom = (
                _read_counter(self._dirs["memory"], "memory.oom_control", "oom_kill")
                if "memory" in self._dirs
                else 0
            )
            pids = _read_counter(self._dirs["pids"], "pids.events", "max") if "pids" in self._dirs else 0
            return {"oom_kill": oom, "pids_max": pids}
        if self.version == 2:
            unified = self._dirs["unified"]
            return {
                "oom_kill": _read_counter(unified, "memory.events", "oom_kill"),
                "pids_max": _read_counter(unified, "pids.events", "max"),
            }
        return {"oom_kill": 0, "pids_max": 0}

    def events_since_last(self) -> dict[str, int]:
        """How much each counter grew since the previous call (that is, during the last job)."""
        now = self.counters()
        delta = {k: now[k] - self._baseline.get(k, 0) for k in now}
        self._baseline = now
        return delta

    def open_fds(self) -> list[int]:
        """Every descriptor the slot keeps open (so a caller closing the rest can spare them)."""
        return [*self.procs_fds, *self._dirs.values(), *self._parents]

    def remove(self) -> None:
        """Remove the slot directories (the slot must be empty of processes)."""
        for fd in self.procs_fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        for fd in self._dirs.values():
            with contextlib.suppress(OSError):
                os.close(fd)
        for parent_fd in self._parents:
            with contextlib.suppress(OSError):
                os.rmdir(self.name, dir_fd=parent_fd)
            with contextlib.suppress(OSError):
                os.close(parent_fd)
