"""The sandbox's filesystem view: a read-only root holding only what Python and NumPy need.

The zygote calls :func:`enter_minimal_root` once at start-up, after importing everything.
It creates a private mount namespace, builds a tmpfs root with read-only bind mounts of
the standard library (its ``site-packages`` hidden under an empty read-only tmpfs), NumPy,
the course helpers and, file by file, the shared libraries already loaded (never a whole
library directory), ``pivot_root``\\ s into it and detaches the host's tree. The project
tree, home directories, ``/proc``, ``/sys``, ``/dev/shm`` and the host's ``/tmp`` are not in it. Each job then
mounts its own size-capped tmpfs on ``/tmp`` (:func:`mount_scratch`; ``/scratch`` instead if
the Python installation itself lives under /tmp).
"""

from __future__ import annotations

import os
import sysconfig

from graders.sandbox import isolation as iso

# Where the new root is assembled (inside the zygote's private mount namespace only): the first
# existing directory that holds none of the bound sources, which the tmpfs would otherwise hide.
# No file is ever created in the host's shared /tmp: a tmpfs is mounted over the chosen directory.
ROOT_MOUNT_POINTS = (
    "/mnt",
    "/media",
    "/srv",
    "/run",
    "/tmp",  # noqa: S108 - only a mount point in the private namespace, nothing is written to it
    "/var/tmp",  # noqa: S108 - only a mount point in the private namespace, nothing is written to it
    "/opt",
)
# The per-job scratch directory inside the new root: /tmp, unless a bound source lives under it.
# It exists only in the job's own root, on a fresh tmpfs per job, never on the host.
SCRATCH_CHOICES = ("/tmp", "/scratch")  # noqa: S108 - the job's private tmpfs, not the host's /tmp
_RO_BIND = iso.MS_REMOUNT | iso.MS_BIND | iso.MS_RDONLY | iso.MS_NOSUID | iso.MS_NODEV
DEVICES = ("null", "zero", "random", "urandom")  # bound from the host's /dev (works without root too)


# Libraries the zygote maps for its own work, which no job needs to see (seccomp is compiled there).
NOT_EXPOSED = ("libseccomp.so",)
# Where a Python installation keeps third-party packages: hidden, whatever is installed there.
SITE_DIRS = ("site-packages", "dist-packages")


def loaded_libraries() -> set[str]:
    """The shared library files this process has mapped (read from /proc/self/maps), as real paths."""
    libs: set[str] = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            parts = line.split(None, 5)
            if len(parts) == 6 and parts[5].startswith("/") and ".so" in os.path.basename(parts[5]):
                path = os.path.realpath(parts[5].strip())
                if os.path.isfile(path) and not os.path.basename(path).startswith(NOT_EXPOSED):
                    libs.add(path)
    return libs


def _under(path: str, parents: list[str]) -> bool:
    return any(path == p or path.startswith(p + os.sep) for p in parents)


def bind_sources(package_dirs: list[str], private: list[str]) -> list[str]:
    """Every host path the sandbox root exposes, read-only, at its own path: the standard library,
    ``package_dirs`` and each shared library file already loaded, except those under a ``private``
    directory (the project tree, the virtual environment) or already inside one of the others."""
    stdlib = sysconfig.get_paths()["stdlib"]
    wanted = [stdlib, *package_dirs]
    covered = [os.path.realpath(p) for p in wanted]
    hidden = [os.path.realpath(p) for p in private]
    for lib in sorted(loaded_libraries()):
        if not _under(lib, covered) and not _under(lib, hidden):
            wanted.append(lib)
    return sorted((p for p in wanted if os.path.exists(p)), key=len)  # parents before their children


def masked_dirs(sources: list[str]) -> list[str]:
    """The package directories inside the bound directories, shown empty (the host interpreter's
    ``site-packages``), unless they are themselves bound."""
    return sorted(
        path
        for src in sources
        if os.path.isdir(src)
        for name in SITE_DIRS
        if os.path.isdir(path := os.path.join(src, name)) and path not in sources
    )


def _holds_none(directory: str, sources: list[str]) -> bool:
    return not any(_under(p, [directory]) for s in sources for p in (s, os.path.realpath(s)))


def _mount_point(sources: list[str]) -> str:
    for candidate in ROOT_MOUNT_POINTS:
        if os.path.isdir(candidate) and not os.path.islink(candidate) and _holds_none(candidate, sources):
            return candidate
    raise OSError(f"no directory among {ROOT_MOUNT_POINTS} is free to assemble the sandbox root on")


def _mkdirs(path: str) -> None:
    os.makedirs(path, mode=0o755, exist_ok=True)


def enter_minimal_root(
    package_dirs: list[str], private: list[str], root_size: str = "2m"
) -> tuple[list[str], str]:
    """Pivot the calling process into a new read-only root; return the host paths bound in it
    and the scratch directory jobs will use."""
    sources = bind_sources(package_dirs, private)
    masks = masked_dirs(sources)
    new_root = _mount_point(sources)
    scratch = next(d for d in SCRATCH_CHOICES if _holds_none(d, sources))
    iso.unshare(iso.CLONE_NEWNS)
    iso.mount(None, "/", None, iso.MS_REC | iso.MS_PRIVATE)
    iso.mount("tmpfs", new_root, "tmpfs", iso.MS_NOSUID, f"size={root_size},nr_inodes=4096,mode=0755")
    old_umask = os.umask(0o022)
    try:
        # Parents first; a mask goes on right after the directory holding it, so anything bound
        # below it (NumPy in the host's site-packages) gets its mount point in the mask's tmpfs.
        steps = sorted([("bind", p) for p in sources] + [("mask", p) for p in masks], key=lambda s: len(s[1]))
        for kind, src in steps:
            target = new_root + src
            if kind == "mask":
                iso.mount(
                    "tmpfs", target, "tmpfs", iso.MS_NOSUID | iso.MS_NODEV, "size=64k,nr_inodes=64,mode=0755"
                )
                continue
            if os.path.isdir(src):
                _mkdirs(target)
            else:
                _mkdirs(os.path.dirname(target))
                with open(target, "w"):
                    pass
            iso.mount(src, target, None, iso.MS_BIND)
            iso.mount(None, target, None, _RO_BIND)
        for mask in masks:
            iso.mount(
                None, new_root + mask, None, iso.MS_REMOUNT | iso.MS_RDONLY | iso.MS_NOSUID | iso.MS_NODEV
            )
        for top in ("lib", "lib32", "lib64", "libx32"):
            link = "/" + top
            if os.path.islink(link) and not os.path.lexists(new_root + link):
                os.symlink(os.readlink(link), new_root + link)
        _mkdirs(new_root + "/dev")
        for name in DEVICES:
            target = f"{new_root}/dev/{name}"
            with open(target, "w"):
                pass
            iso.mount(f"/dev/{name}", target, None, iso.MS_BIND)
        _mkdirs(new_root + scratch)
        _mkdirs(new_root + "/.old")
    finally:
        os.umask(old_umask)
    iso.pivot_root(new_root, new_root + "/.old")
    os.chdir("/")
    iso.umount2("/.old", iso.MNT_DETACH)
    os.rmdir("/.old")
    iso.mount(None, "/", None, iso.MS_REMOUNT | iso.MS_RDONLY | iso.MS_NOSUID)
    return sources, scratch


def mount_scratch(scratch: str, size_bytes: int, inodes: int, uid: int, gid: int) -> None:
    """Mount a fresh, size-capped tmpfs on ``scratch`` for one job; make it the working directory,
    the home directory and the temporary directory."""
    iso.mount(
        "tmpfs",
        scratch,
        "tmpfs",
        iso.MS_NOSUID | iso.MS_NODEV | iso.MS_NOEXEC,
        f"size={size_bytes},nr_inodes={inodes},mode=0700,uid={uid},gid={gid}",
    )
    os.chdir(scratch)
    os.environ.update(HOME=scratch, TMPDIR=scratch)
