"""Build a tensorseed image with podman on a machine that reaches no container registry.

    python scripts/build_image.py [--target cpu|cuda] [--tag NAME] [--refresh-base] [--report FILE]

``FROM python:...`` cannot be pulled without a registry, so the Dockerfile's base (its
``PYTHON_IMAGE`` build argument) is made here from Debian's own packages:

1. The base image: ``debootstrap --variant=minbase`` of Debian bookworm with python3 (as
   ``python``, with venv and ensurepip) and the CA certificates, trimmed like Debian's slim
   images (no manuals, documentation or translations), upgraded from the same Debian sources as
   this machine (security updates included), and imported as ``localhost/tensorseed-base:<key>``.
   It is reused while its recipe (the key) is unchanged; ``--refresh-base`` makes it again.
2. The image: ``podman build`` of the Dockerfile's target, in Docker's image format (the OCI
   format has no HEALTHCHECK), with the host's network (the package indexes), the system CA bundle
   mounted read-only (the builders' pip trusts it), and this machine's pip configuration: its
   local wheel folders and indexes are mounted read-only and named to pip as build arguments.
   That is how the CPU build of torch that the dev machines install reaches the CPU image.
3. A report (``--report``, JSON): the image, its size, the build's seconds and the base's.

podman runs containers with runc: its default runtime on Debian, crun, fails on kernels with
hybrid cgroups. Container rlimits above the host's hard limits make runc fail, so every
container gets lower ones (``RUN_OPTIONS``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
SUITE = "bookworm"
#: Debian's python3 keeps its C headers (which the kernel build needs) in this package; the
#: official python images ship them. Passed as the Dockerfile's PYTHON_DEV_PACKAGES.
DEBIAN_PYTHON_DEV = "libpython3-dev"
BASE_PACKAGES = ("python3", "python3-venv", "python-is-python3", "ca-certificates")
BASE_REPOSITORY = "localhost/tensorseed-base"
#: The environment the official python images set, which the Dockerfile builds on.
BASE_CHANGES = (
    "ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "ENV=LANG=C.UTF-8",
    'CMD=["python3"]',
)
#: What Debian's slim images leave out, for the packages installed now and later (apt in the builds).
DPKG_EXCLUDES = """\
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
"""
HOST_DEBIAN_SOURCES = Path("/etc/apt/sources.list.d/debian.sources")
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
PODMAN = ("podman", "--runtime", "runc")
#: Bump to remake every cached base after a change to how it is made.
BASE_RECIPE_VERSION = "1"


#: Options for every ``podman run`` and build step. podman's default rlimits (a million open files)
#: are above this machine's hard limits, and runc may not raise those (no CAP_SYS_RESOURCE):
#: the container would not start. 4096 files and processes are plenty for one server process.
RUN_OPTIONS = ("--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096")


def run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    print("+", shlex.join(argv), file=sys.stderr, flush=True)
    return subprocess.run(argv, check=True, **kwargs)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def _host_sources() -> str | None:
    """This machine's Debian sources (deb822), when it runs the base's release."""
    release = Path("/etc/os-release")
    if not HOST_DEBIAN_SOURCES.exists() or not release.exists():
        return None
    if f"VERSION_CODENAME={SUITE}" not in release.read_text().splitlines():
        return None
    return HOST_DEBIAN_SOURCES.read_text()


def _mirror(sources: str | None) -> str | None:
    """The URI of the stanza that serves ``SUITE`` itself; None lets debootstrap use its default."""
    for stanza in re.split(r"\n\s*\n", sources or ""):
        fields = dict(re.findall(r"^(\w[\w-]*):\s*(.*)$", stanza, flags=re.M))
        if SUITE in fields.get("Suites", "").split() and fields.get("URIs"):
            return str(fields["URIs"].split()[0])
    return None


def base_tag(sources: str | None) -> str:
    """The cached base's tag: a digest of everything that decides its contents."""
    recipe = json.dumps(
        [BASE_RECIPE_VERSION, SUITE, BASE_PACKAGES, BASE_CHANGES, DPKG_EXCLUDES, sources], sort_keys=True
    )
    return f"{BASE_REPOSITORY}:{SUITE}-{hashlib.sha256(recipe.encode()).hexdigest()[:12]}"


def image_exists(name: str) -> bool:
    return subprocess.run([*PODMAN, "image", "exists", name]).returncode == 0


def make_base(refresh: bool) -> tuple[str, float | None]:
    """The base image's name, and the seconds it took to make (None: it was cached)."""
    sources = _host_sources()
    tag = base_tag(sources)
    if image_exists(tag) and not refresh:
        print(f"base image {tag}: cached", file=sys.stderr)
        return tag, None
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tensorseed-base-", dir="/var/tmp") as tmp:
        root = Path(tmp) / "root"
        mirror = _mirror(sources)
        run(["debootstrap", "--variant=minbase", f"--include={','.join(BASE_PACKAGES)}", SUITE, str(root),
             *([mirror] if mirror else [])], stdout=subprocess.DEVNULL)  # fmt: skip
        (root / "etc/dpkg/dpkg.cfg.d/slim").write_text(DPKG_EXCLUDES)
        for folder in ("usr/share/man", "usr/share/info", "usr/share/locale"):
            for entry in (root / folder).glob("*"):
                if entry.name != "locale.alias":
                    _remove(entry)
        for doc in (root / "usr/share/doc").glob("*/*"):
            if doc.name != "copyright":
                _remove(doc)
        if sources is not None:
            (root / "etc/apt/sources.list").unlink(missing_ok=True)
            (root / "etc/apt/sources.list.d/debian.sources").write_text(sources)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in ("apt-get update -qq", "apt-get upgrade -y -qq", "apt-get clean"):
            run(["chroot", str(root), *command.split()], env=env, stdout=subprocess.DEVNULL)
        shutil.rmtree(root / "var/lib/apt/lists")
        (root / "var/lib/apt/lists/partial").mkdir(parents=True)
        tar = subprocess.Popen(["tar", "-C", str(root), "--numeric-owner", "-c", "."], stdout=subprocess.PIPE)
        changes = [arg for change in BASE_CHANGES for arg in ("--change", change)]
        run([*PODMAN, "import", *changes, "-", tag], stdin=tar.stdout, stdout=subprocess.DEVNULL)
        if tar.wait() != 0:
            raise SystemExit("tar of the base image failed")
    return tag, time.monotonic() - started


def _pip_config() -> dict[str, str]:
    """This machine's effective pip settings (environment over configuration files)."""
    listed = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True, check=True
    ).stdout
    found: dict[str, tuple[int, str]] = {}
    for line in listed.splitlines():
        key, _, value = line.partition("=")
        scope, _, name = key.rpartition(".")
        rank = 0 if scope == ":env:" else 1 if scope == "install" else 2
        if name not in found or rank < found[name][0]:
            found[name] = (rank, value.strip().strip("'\""))
    return {name: value for name, (_, value) in found.items()}


def _local_folder(location: str, index: bool) -> Path | None:
    """The folder to mount for a pip location, if it is local. An index's pages link to files
    beside its ``simple/`` folder, so the folder above it is mounted."""
    if location.startswith("file:"):
        path = Path(urlparse(location).path)
    elif "://" in location:
        return None
    else:
        path = Path(location)
    if not path.is_absolute():
        return None
    return path.parent if index and path.name == "simple" else path


def pip_build_options(config: dict[str, str]) -> list[str]:
    """``podman build`` options that hand the builders this machine's wheel folders and indexes."""
    options: list[str] = []
    mounts: set[Path] = set()
    for setting, argument, index in (
        ("find-links", "TORCH_CPU_FIND_LINKS", False),
        ("extra-index-url", "TORCH_CPU_INDEX", True),
    ):
        locations = config.get(setting, "").split()
        if not locations:
            continue
        options += ["--build-arg", f"{argument}={' '.join(locations)}"]
        for location in locations:
            folder = _local_folder(location, index)
            if folder is not None and folder.exists():
                mounts.add(folder)
    for folder in sorted(mounts):
        options += ["--volume", f"{folder}:{folder}:ro"]
    return options


def build(target: str, tag: str, base: str) -> float:
    """Build ``target`` from ``base`` as ``tag``; returns the seconds it took."""
    options = [
        "--format", "docker", "--network", "host", "--target", target, "--tag", tag,
        "--build-arg", f"PYTHON_IMAGE={base}",
        "--build-arg", f"PYTHON_DEV_PACKAGES={DEBIAN_PYTHON_DEV}",
        *RUN_OPTIONS,
    ]  # fmt: skip
    if CA_BUNDLE.exists():
        options += ["--volume", f"{CA_BUNDLE}:{CA_BUNDLE}:ro"]
    if target == "cpu":  # the CUDA build is PyPI's own torch: no local wheels for it
        options += pip_build_options(_pip_config())
    started = time.monotonic()
    run([*PODMAN, "build", *options, str(REPO)])
    return time.monotonic() - started


def image_size(name: str) -> int:
    out = subprocess.run(
        [*PODMAN, "image", "inspect", "--format", "{{.Size}}", name],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(out.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--target", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--tag", help="image name (default: localhost/tensorseed:<version>-<target>)")
    parser.add_argument("--refresh-base", action="store_true", help="make the base image again")
    parser.add_argument("--report", type=Path, help="write the build's facts here as JSON")
    args = parser.parse_args(argv)
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    tag = args.tag or f"localhost/tensorseed:{version}-{args.target}"
    base, base_seconds = make_base(args.refresh_base)
    seconds = build(args.target, tag, base)
    report = {
        "image": tag,
        "target": args.target,
        "base": base,
        "base_seconds": None if base_seconds is None else round(base_seconds, 1),
        "build_seconds": round(seconds, 1),
        "size_bytes": image_size(tag),
    }
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(report, indent=2) + "\n")
    base_note = "cached" if base_seconds is None else f"made in {base_seconds:.0f} s"
    print(
        f"{tag}: {report['size_bytes'] / 1e6:.0f} MB, built in {seconds:.0f} s (base {base}: {base_note})",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
