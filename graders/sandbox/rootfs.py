"""The sandbox's filesystem view: a read-only root holding only what Python and NumPy need.

The zygote calls :func:`enter_minimal_root` once at start-up, after importing everything.
It creates a private mount namespace, builds a tmpfs root with read-only bind mounts of
the standard library, NumPy, the course helpers and the system libraries already loaded,
``pivot_root``\\ s into it and detaches the host's tree. The project tree, home directories,
``/proc``, ``/sys``, ``/dev/shm`` and the host's ``/tmp`` are not in it. Each job then
mounts its own size-capped tmpfs on ``/tmp`` (:func:`mount_scratch`).
"""

from __future__ import annotations

import os
import sysconfig

from graders.sandbox import isolation as iso

NEW_ROOT = "/tmp"  # noqa: S108 - mount point for the new root, inside the zygote's private namespace only
SCRATCH = "/tmp"  # noqa: S108 - the per-job scratch directory, inside the new root
_RO_BIND = iso.MS_REMOUNT | iso.MS_BIND | iso.MS_RDONLY | iso.MS_NOSUID | iso.MS_NODEV
DEVICES = ("null", "zero", "random", "urandom")  # bound from the host's /dev (works without root too)


def loaded_library_dirs() -> set[str]:
    """Directories of the shared libraries this process has mapped (read from /proc/self/maps)."""
    dirs: set[str] = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            parts = line.split(None, 5)
            if len(parts) == 6 and parts[5].startswith("/") and ".so" in os.path.basename(parts[5]):
                dirs.add(os.path.dirname(os.path.realpath(parts[5].strip())))
    return dirs


def bind_sources(package_dirs: list[str]) -> list[str]:
    """Every host directory the sandbox root exposes, read-only, at its own path."""
    stdlib = sysconfig.get_paths()["stdlib"]
    wanted = [stdlib, *package_dirs]
    covered = [os.path.realpath(p) for p in wanted]
    for lib in sorted(loaded_library_dirs()):
        if not any(lib == c or lib.startswith(c + os.sep) for c in covered):
            wanted.append(lib)
    return [p for p in wanted if os.path.isdir(p)]


def _mkdirs(path: str) -> None:
    os.makedirs(path, mode=0o755, exist_ok=True)


def enter_minimal_root(package_dirs: list[str], root_size: str = "2m") -> list[str]:
    """Pivot the calling process into a new read-only root; return the host paths bound in it."""
    sources = bind_sources(package_dirs)
    iso.unshare(iso.CLONE_NEWNS)
    iso.mount(None, "/", None, iso.MS_REC | iso.MS_PRIVATE)
    iso.mount("tmpfs", NEW_ROOT, "tmpfs", iso.MS_NOSUID, f"size={root_size},nr_inodes=4096,mode=0755")
    old_umask = os.umask(0o022)
    try:
        for src in sources:
            target = NEW_ROOT + src
            _mkdirs(target)
            iso.mount(src, target, None, iso.MS_BIND)
            iso.mount(None, target, None, _RO_BIND)
        for top in ("lib", "lib32", "lib64", "libx32"):
            link = "/" + top
            if os.path.islink(link) and not os.path.lexists(NEW_ROOT + link):
                os.symlink(os.readlink(link), NEW_ROOT + link)
        _mkdirs(NEW_ROOT + "/dev")
        for name in DEVICES:
            target = f"{NEW_ROOT}/dev/{name}"
            with open(target, "w"):
                pass
            iso.mount(f"/dev/{name}", target, None, iso.MS_BIND)
        _mkdirs(NEW_ROOT + SCRATCH)
        _mkdirs(NEW_ROOT + "/.old")
    finally:
        os.umask(old_umask)
    iso.pivot_root(NEW_ROOT, NEW_ROOT + "/.old")
    os.chdir("/")
    iso.umount2("/.old", iso.MNT_DETACH)
    os.rmdir("/.old")
    iso.mount(None, "/", None, iso.MS_REMOUNT | iso.MS_RDONLY | iso.MS_NOSUID)
    return sources


def mount_scratch(size_bytes: int, inodes: int, uid: int, gid: int) -> None:
    """Mount a fresh, size-capped tmpfs on /tmp for one job and make it the working directory."""
    iso.mount(
        "tmpfs",
        SCRATCH,
        "tmpfs",
        iso.MS_NOSUID | iso.MS_NODEV | iso.MS_NOEXEC,
        f"size={size_bytes},nr_inodes={inodes},mode=0700,uid={uid},gid={gid}",
    )
    os.chdir(SCRATCH)
