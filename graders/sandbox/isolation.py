"""Linux primitives the sandbox is built from: namespaces, mounts, rlimits, privilege drop.

Thin ``ctypes`` wrappers around libc; every failure raises ``OSError``. Only the zygote
and its children call these, never the trusted grader process.
"""

from __future__ import annotations

import ctypes
import os
import platform
import resource
from collections.abc import Iterable

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
_libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
_libc.unshare.argtypes = [ctypes.c_int]
_libc.setns.argtypes = [ctypes.c_int, ctypes.c_int]
_libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
_libc.syscall.restype = ctypes.c_long

CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
NAMESPACE_FLAGS = (
    CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET
)

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MNT_DETACH = 2

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38

_SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}
_SYS_CAPSET = {"x86_64": 126, "aarch64": 91}


def _check(result: int) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def _b(path: str | None) -> bytes | None:
    return None if path is None else os.fsencode(path)


def unshare(flags: int) -> None:
    """Move the calling process into new namespaces (``CLONE_NEW*`` flags)."""
    _check(_libc.unshare(flags))


def setns(fd: int, nstype: int) -> None:
    """Join the namespace that ``fd`` (an open ``/proc/*/ns/*`` file) refers to."""
    _check(_libc.setns(fd, nstype))


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    """mount(2)."""
    _check(_libc.mount(_b(source), _b(target), _b(fstype), flags, _b(data)))


def umount2(target: str, flags: int) -> None:
    """umount2(2)."""
    _check(_libc.umount2(_b(target), flags))


def pivot_root(new_root: str, put_old: str) -> None:
    """pivot_root(2), which glibc does not wrap."""
    _check(_libc.syscall(_SYS_PIVOT_ROOT[platform.machine()], _b(new_root), _b(put_old)))


def prctl(option: int, arg2: int = 0) -> None:
    """prctl(2) with one argument."""
    _check(_libc.prctl(option, arg2, 0, 0, 0))


def prctl3(option: int, arg2: int, arg3: int) -> None:
    """prctl(2) with two arguments."""
    _check(_libc.prctl(option, arg2, arg3, 0, 0))


def drop_all_capabilities() -> None:
    """Empty the bounding, effective, permitted and inheritable capability sets."""
    last_cap = 40
    try:
        with open("/proc/sys/kernel/cap_last_cap") as f:
            last_cap = int(f.read())
    except OSError:
        pass
    for cap in range(last_cap + 1):
        try:
            prctl(PR_CAPBSET_DROP, cap)
        except OSError:
            break
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()
    _check(_libc.syscall(_SYS_CAPSET[platform.machine()], header, data))


def set_rlimits(limits: Iterable[tuple[int, int]]) -> None:
    """Set each ``(resource, value)`` as both the soft and the hard limit."""
    for which, value in limits:
        resource.setrlimit(which, (value, value))


def drop_privileges(uid: int, gid: int) -> None:
    """Become ``uid``/``gid`` with no supplementary groups; this clears every capability."""
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    if os.getresuid() != (uid, uid, uid):  # pragma: no cover - kernel guarantees this
        raise OSError("uid drop did not take effect")


def write_file(path: str, data: str) -> None:
    """Write ``data`` to an existing (proc or cgroup) file."""
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, data.encode())
    finally:
        os.close(fd)
