"""The seccomp filter every sandboxed job runs under (defence in depth, built with libseccomp).

A denylist in the style of IOI isolate and nsjail: the job may compute, allocate, fork a
little and use its scratch files, but it cannot execute programs, trace or read other
processes, create namespaces, mount, load kernel code or open non-Unix sockets. Nor can it
start a session (a scheduling group of its own, outside the job's low priority), nor
use what is shared machine-wide or across jobs and that no exercise needs: kernel AIO
contexts (``fs.aio-max-nr`` is one pool for the whole machine), file locks and leases on the
shared read-only files (a covert channel between two jobs), inotify, fanotify and dnotify
(watching what another job opens), page-cache residency and eviction calls, ``sync``,
POSIX message queues and System V IPC. Denied
calls fail with ``EPERM`` (so Python raises ``PermissionError``); calls from a foreign
architecture (32-bit syscalls) kill the process. The filter is compiled once in the
zygote (libseccomp generates the BPF program once) and each child installs that program
with one ``prctl`` call, after no_new_privs.
"""

from __future__ import annotations

import ctypes
import errno
import os
import socket

import pyseccomp as sc

from graders.sandbox import isolation as iso

DENIED = (
    # running other programs
    "execve",
    "execveat",
    # other processes' memory, tracing, comparing kernel objects
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kcmp",
    "pidfd_getfd",
    "process_madvise",
    # namespaces, mounts, roots
    "unshare",
    "setns",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "open_tree",
    "move_mount",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "mount_setattr",
    # kernel keyring, BPF, perf, userfaultfd, io_uring (common kernel attack surface)
    "keyctl",
    "add_key",
    "request_key",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    # system administration
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "reboot",
    "swapon",
    "swapoff",
    "syslog",
    "acct",
    "quotactl",
    "quotactl_fd",
    "lookup_dcookie",
    "settimeofday",
    "clock_settime",
    "clock_adjtime",
    "adjtimex",
    "sethostname",
    "setdomainname",
    "iopl",
    "ioperm",
    "vhangup",
    "uselib",
    "ustat",
    "sysfs",
    "nfsservctl",
    "personality",
    # a new session: with autogrouping, a scheduling group of its own outside the job's priority (sched(7))
    "setsid",
    # file handles, device nodes, fanotify, NUMA page moves
    "open_by_handle_at",
    "name_to_handle_at",
    "mknod",
    "mknodat",
    "fanotify_init",
    "move_pages",
    "migrate_pages",
    "mbind",
    "set_mempolicy",
    "set_mempolicy_home_node",
    # machine-wide kernel AIO contexts (one job could take all of fs.aio-max-nr)
    "io_setup",
    "io_destroy",
    "io_submit",
    "io_cancel",
    "io_getevents",
    "io_pgetevents",
    # locks on shared files (fcntl record locks: see LOCK_COMMANDS), watching shared directories
    "flock",
    "inotify_init",
    "inotify_init1",
    "inotify_add_watch",
    "inotify_rm_watch",
    "fanotify_mark",
    # the shared page cache: residency and eviction (cross-job side and covert channels)
    "mincore",
    "cachestat",
    "fadvise64",
    "readahead",
    # flushing every filesystem on the machine
    "sync",
    "syncfs",
    # message queues and System V IPC (no exercise needs them; the IPC namespace is per job anyway)
    "mq_open",
    "mq_unlink",
    "mq_timedsend",
    "mq_timedreceive",
    "mq_notify",
    "mq_getsetattr",
    "msgget",
    "msgsnd",
    "msgrcv",
    "msgctl",
    "semget",
    "semop",
    "semtimedop",
    "semctl",
    "shmget",
    "shmat",
    "shmdt",
    "shmctl",
    # memory hidden even from the kernel's direct map, pinned like mlock
    "memfd_secret",
)
# fcntl commands on locks and leases of (shared) files, and dnotify directory watches.
F_GETLK, F_SETLK, F_SETLKW = 5, 6, 7
F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW = 36, 37, 38
F_SETLEASE, F_GETLEASE, F_NOTIFY = 1024, 1025, 1026
LOCK_COMMANDS = (
    F_GETLK,
    F_SETLK,
    F_SETLKW,
    F_OFD_GETLK,
    F_OFD_SETLK,
    F_OFD_SETLKW,
    F_SETLEASE,
    F_GETLEASE,
    F_NOTIFY,
)
# madvise advice that pushes pages of shared files out of memory.
MADV_COLD, MADV_PAGEOUT = 20, 21
TIOCSTI = 0x5412
TIOCLINUX = 0x541C


def build_filter() -> sc.SyscallFilter:
    """Compile (but do not load) the job filter."""
    flt = sc.SyscallFilter(sc.ALLOW)
    deny = sc.ERRNO(errno.EPERM)
    for name in DENIED:
        try:
            flt.add_rule(deny, name)
        except (OSError, ValueError, RuntimeError):
            continue  # a syscall this kernel/architecture does not have
    for flag in (
        iso.CLONE_NEWNS,
        iso.CLONE_NEWCGROUP,
        iso.CLONE_NEWUTS,
        iso.CLONE_NEWIPC,
        iso.CLONE_NEWUSER,
        iso.CLONE_NEWPID,
        iso.CLONE_NEWNET,
    ):
        flt.add_rule(deny, "clone", sc.Arg(0, sc.MASKED_EQ, flag, flag))
    # clone3 passes its flags in memory, which seccomp cannot inspect: make libc fall back to clone.
    flt.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")
    flt.add_rule(sc.ERRNO(errno.EAFNOSUPPORT), "socket", sc.Arg(0, sc.NE, socket.AF_UNIX))
    for request in (TIOCSTI, TIOCLINUX):
        flt.add_rule(deny, "ioctl", sc.Arg(1, sc.MASKED_EQ, 0xFFFFFFFF, request))
    for command in LOCK_COMMANDS:
        flt.add_rule(deny, "fcntl", sc.Arg(1, sc.MASKED_EQ, 0xFFFFFFFF, command))
    for advice in (MADV_COLD, MADV_PAGEOUT):
        flt.add_rule(deny, "madvise", sc.Arg(2, sc.MASKED_EQ, 0xFFFFFFFF, advice))
    return flt


PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


class CompiledFilter:
    """The job filter as a ready BPF program (built by libseccomp), installable after fork."""

    def __init__(self) -> None:
        fd = os.memfd_create("seccomp-bpf")
        try:
            with os.fdopen(os.dup(fd), "wb") as out:
                build_filter().export_bpf(out)
            size = os.lseek(fd, 0, os.SEEK_END)
            program = os.pread(fd, size, 0)
        finally:
            os.close(fd)
        if not program or len(program) % 8:
            raise RuntimeError("libseccomp produced no BPF program")
        self._buffer = ctypes.create_string_buffer(program, len(program))
        self._fprog = _SockFprog(len(program) // 8, ctypes.addressof(self._buffer))

    def load(self) -> None:
        """Install the filter on the calling process (needs no_new_privs or CAP_SYS_ADMIN)."""
        iso.prctl3(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(self._fprog))
