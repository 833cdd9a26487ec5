"""The kernel that runs learners' code during autograding, inside bubblewrap.

Every way a trainer autogrades -- `civickit cohort autograde`, Formgrader's Autograde button, plain
`nbgrader autograde` with the kit's config, the hub -- starts this kernel (civickit.sandbox_kernel).

What the learner's code sees (an allow-list, not a deny-list):
- the system's programs and libraries (/usr and its symlinks), a few files of /etc that Python and
  fonts read, a one-line /etc/passwd naming the sandbox user;
- the Python interpreter, the venv and the civickit package (src/ only: not the kit's .git, not
  assignments/, not the workspace); the reference modules that hidden tests compare with are replaced
  by a module that refuses to import (civickit.reference_modules);
- its own assignment folder as a private RAM disk holding read-only copies of the folder's files:
  what the code writes there (or in /tmp, another RAM disk) is capped and vanishes with the kernel, so
  nothing it writes reaches the autograded folder, the feedback or the trainer;
- nothing else: no home folders, no workspace (gradebook, rosters, other learners), no runtime folder
  of other kernels, no network (not even loopback), no environment of the trainer (an allow-list of
  variables), no root: it runs as uid 65534 in its own user namespace with no capabilities.
Limits: address space, processes (RLIMIT_NPROC inside its own user namespace), file size, open files,
RAM disk sizes. The grader talks to it over IPC sockets in a private folder (civickit.sandbox_kernel).
"""

from __future__ import annotations

import json
import os
import shutil
import sys

# A learner's kernel may not grow past this much memory (address space); a runaway cell then fails alone.
MEMORY_LIMIT_BYTES = 4 * 1024**3
# Threads count too (ipykernel and numpy start about 20); under root the count is SANDBOX_UID's on the
# whole machine, shared by the graders running at once.
PROCESS_LIMIT = 256
FILE_SIZE_LIMIT_BYTES = 64 * 1024**2
OPEN_FILES_LIMIT = 256
RAM_DISK_BYTES = 256 * 1024**2  # each of /tmp and the assignment folder
SANDBOX_UID = 65534  # "nobody"
IPC_PREFIX = "civickit-ipc-"  # folder name civickit.sandbox_kernel gives each kernel's sockets
ETC_FILES = ("ld.so.cache", "localtime", "fonts", "mime.types", "nsswitch.conf")


# What a reference module holds inside the sandbox (the learner sees this message in the feedback).
REFUSAL = (
    "raise ImportError('Този модул на civickit съдържа готовите решения и не е достъпен при оценяването. '\n"
    "                  'Отговорът трябва да е ваш собствен код.')\n"
)


def reference_files() -> list[str]:
    """The files of the reference modules that hidden tests compare answers with."""
    import importlib.util

    try:
        from .reference_modules import REFERENCE_MODULES
    except ImportError:  # the list arrives with the trusted checker (issue 12); until then nothing is hidden
        return []
    files = []
    for name in REFERENCE_MODULES:
        source = importlib.util.find_spec(name).origin
        # The compiled copy would load as well as the source (importlib's SourcelessFileLoader).
        cached = os.path.join(os.path.dirname(source), "__pycache__")
        stem = os.path.splitext(os.path.basename(source))[0]
        files += [source, *(os.path.join(cached, f) for f in sorted(os.listdir(cached) if os.path.isdir(cached) else [])
                            if f.startswith(stem + "."))]
    return files


def bwrap_missing() -> str | None:
    if shutil.which("bwrap"):
        return None
    return "bubblewrap is not installed: `sudo apt-get install bubblewrap` (or `make test`, which installs it)."


def ipc_folder(connection_file: str) -> str:
    """The folder of the kernel's IPC sockets; refuses anything but a grader's private folder."""
    with open(connection_file, encoding="utf-8") as fh:
        info = json.load(fh)
    folder = os.path.dirname(os.path.abspath(info.get("ip", "")))
    if info.get("transport") != "ipc" or not os.path.basename(folder).startswith(IPC_PREFIX):
        raise SystemExit(
            f"civickit sandbox: {connection_file} asks for transport {info.get('transport')!r} at {info.get('ip')!r}; "
            "the sandboxed kernel has no network and needs IPC sockets in a civickit-ipc-* folder. "
            "Start it through nbgrader with the kit's config (civickit.sandbox_kernel)."
        )
    return folder


def python_folders() -> list[str]:
    """The interpreter, the venv and every import folder (an editable civickit lives in the kit's src/)."""
    folders = {sys.base_prefix, sys.prefix, *(p for p in sys.path if p and os.path.isdir(p))}
    return sorted(os.path.realpath(f) for f in folders if os.path.isabs(f))


def environment(cwd: str) -> dict[str, str]:
    """The kernel's whole environment: nothing of the trainer's (tokens, paths, names) gets in."""
    env = {
        "PATH": f"{os.path.dirname(sys.executable)}:/usr/local/bin:/usr/bin:/bin",
        "HOME": cwd,
        "LANG": "C.UTF-8",
        "IPYTHONDIR": "/tmp/.ipython",
        "MPLCONFIGDIR": "/tmp/.matplotlib",
        "PYTHONNOUSERSITE": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    for name in ("TZ", "NBGRADER_EXECUTION"):  # the grading's time zone; nbgrader's own marker
        if os.environ.get(name):
            env[name] = os.environ[name]
    return env


def _system_binds() -> list[str]:
    cmd = []
    for name in ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = f"/{name}"
        if os.path.islink(path):
            cmd += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            cmd += ["--ro-bind", path, path]
    for name in ETC_FILES:
        cmd += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    return cmd


def _identity() -> list[str]:
    """Namespaces, and who the learner's code is.

    A trainer's own account: bubblewrap maps SANDBOX_UID in a user namespace of its own, no capabilities.
    Root: a user namespace would still leave root outside (the owner of root's files, exempt from
    RLIMIT_NPROC), so the kernel gives up root for SANDBOX_UID itself once inside (_limit_inside).
    """
    if os.geteuid() == 0:
        return ["--unshare-pid", "--unshare-ipc", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    return ["--unshare-all", "--unshare-user", "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID),
            "--cap-drop", "ALL"]


def _parent_folders(targets: list[str]) -> list[str]:
    """Folders leading to what is bound, readable by the sandbox user (bubblewrap makes them 0700)."""
    def inside(path: str, folder: str) -> bool:
        return path == folder or path.startswith(folder.rstrip("/") + "/")

    needed = set()
    for target in targets:
        parent = os.path.dirname(target)
        while parent not in ("/", "/tmp") and not any(inside(parent, t) for t in targets if t != target):
            needed.add(parent)
            parent = os.path.dirname(parent)
    return [arg for folder in sorted(needed) for arg in ("--perms", "0755", "--dir", folder)]


def _data_fd(text: str) -> str:
    """A file in memory that bubblewrap copies into the sandbox (--ro-bind-data)."""
    fd = os.memfd_create("civickit-sandbox-data", 0)  # inheritable: bubblewrap reads it after exec
    os.write(fd, text.encode())
    os.lseek(fd, 0, os.SEEK_SET)
    return str(fd)


def _folder_copy(cwd: str) -> list[str]:
    """The assignment folder as a capped RAM disk with its files bound read-only into it."""
    cmd = ["--perms", "1777", "--size", str(RAM_DISK_BYTES), "--tmpfs", cwd]
    for base, dirs, files in os.walk(cwd):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(base, d))]
        for d in dirs:
            cmd += ["--dir", os.path.join(base, d)]
        for f in files:
            path = os.path.join(base, f)
            if os.path.isfile(path) and not os.path.islink(path):
                cmd += ["--ro-bind", path, path]
    return cmd


def command(connection_file: str, cwd: str, ipc: str, extra: list[str], hidden_files: list[str]) -> list[str]:
    """The bubblewrap command line. `hidden_files`: module files replaced by civickit.reference_modules' refusal."""
    cmd = ["bwrap", "--die-with-parent", "--new-session", *_identity(),
           "--dev", "/dev", "--proc", "/proc", "--perms", "1777", "--size", str(RAM_DISK_BYTES), "--tmpfs", "/tmp",
           *_system_binds(),
           "--ro-bind-data", _data_fd(f"learner:x:{SANDBOX_UID}:{SANDBOX_UID}:learner:/tmp:/usr/sbin/nologin\n"),
           "/etc/passwd", "--ro-bind-data", _data_fd(f"learner:x:{SANDBOX_UID}:\n"), "/etc/group"]
    folders = python_folders()
    cmd += _parent_folders([*folders, cwd, ipc])
    for folder in folders:
        cmd += ["--ro-bind", folder, folder]
    for path in hidden_files:
        cmd += ["--ro-bind-data", _data_fd(REFUSAL if path.endswith(".py") else ""), path]
    cmd += _folder_copy(cwd)
    if os.geteuid() == 0:  # the kernel will run as SANDBOX_UID itself: give it its sockets' folder and key
        os.chown(ipc, SANDBOX_UID, SANDBOX_UID)
        with open(connection_file, encoding="utf-8") as fh:
            cmd += ["--perms", "0444", "--ro-bind-data", _data_fd(fh.read()), connection_file]
    else:
        cmd += ["--ro-bind", connection_file, connection_file]
    cmd += ["--bind", ipc, ipc, "--chdir", cwd, "--clearenv"]
    for name, value in environment(cwd).items():
        cmd += ["--setenv", name, value]
    # --die-with-parent ends the sandbox with its grader (in its own PID namespace the kernel cannot see it).
    return cmd + [sys.executable, "-m", "civickit.sandbox", "--inside", "-f", connection_file, *extra]


def _limit_inside() -> None:
    """Limits set inside the sandbox (in its own user namespace RLIMIT_NPROC counts only its processes);
    under root, the switch to SANDBOX_UID, which also drops every capability."""
    import resource

    for limit, value in ((resource.RLIMIT_AS, MEMORY_LIMIT_BYTES), (resource.RLIMIT_NPROC, PROCESS_LIMIT),
                         (resource.RLIMIT_FSIZE, FILE_SIZE_LIMIT_BYTES), (resource.RLIMIT_NOFILE, OPEN_FILES_LIMIT),
                         (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(limit, (value, value))
    if os.geteuid() == 0:
        os.setgroups([])
        os.setresgid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID)
        os.setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID)


def main(argv: list[str]) -> None:
    connection_file = os.path.abspath(argv[argv.index("-f") + 1])
    extra = argv[argv.index("-f") + 2:]
    if argv[0] == "--inside":
        _limit_inside()
        os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", connection_file, *extra])
    cmd = command(connection_file, os.getcwd(), ipc_folder(connection_file), extra, reference_files())
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    main(sys.argv[1:])
