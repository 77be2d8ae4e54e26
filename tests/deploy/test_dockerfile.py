"""The Dockerfile, checked without Docker: no engine runs on the dev machines or in CI.

hadolint (``make deploy-check``) checks the syntax and best practices. These tests check what
hadolint cannot: that every RUN is a command this suite runs for real (so the image build uses
commands known to work), that the healthcheck really probes the server, and that the images run
as a numeric non-root user with configuration only through TENSORSEED_* variables.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from app.settings import Settings
from scripts.build_image import CA_BUNDLE, DEBIAN_PYTHON_DEV
from tests.deploy.dockerfile import Dockerfile, build_context, parse_dockerfile
from tests.server_process import REPO, running_server

DOCKERFILE = REPO / "Dockerfile"
TARGETS = ("cpu", "cuda")
VENV = "/opt/venv"

# Each RUN of the Dockerfile, as written there (BuildKit --mount options aside), and the test
# below that runs it outside Docker. A new RUN fails test_every_run_is_exercised until it has one.
VENV_COMMAND = "python -m venv /opt/venv"
PIP_COMMAND = "/opt/venv/bin/pip install -c constraints.txt '.[service]'"
APT_COMMAND = (
    "apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev ${PYTHON_DEV_PACKAGES}"
    " && rm -rf /var/lib/apt/lists/*"
)
EXERCISED = {
    VENV_COMMAND: "test_venv_and_pip_install_resolve_exactly_the_pinned_versions",
    PIP_COMMAND: "test_venv_and_pip_install_resolve_exactly_the_pinned_versions",
    APT_COMMAND: "test_apt_command_resolves_on_the_image_debian_release",
}
# Resolved into the image without a pin in constraints.txt, and why that is acceptable.
UNPINNED_BY_DESIGN = {
    # torch declares setuptools>=77 as a run-time dependency; `make lock` leaves setuptools out.
    "setuptools",
}


@pytest.fixture(scope="module")
def dockerfile() -> Dockerfile:
    return parse_dockerfile(DOCKERFILE)


def _run_command(arguments: str) -> str:
    """A RUN's shell command without BuildKit's ``--mount=...`` options."""
    return re.sub(r"^(--mount=\S+\s+)+", "", arguments)


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_run_is_exercised(dockerfile: Dockerfile) -> None:
    runs = {_run_command(i.arguments) for i in dockerfile.instructions if i.keyword == "RUN"}
    assert runs == set(EXERCISED), "each RUN needs a test here that runs it outside Docker"


def test_venv_and_pip_install_resolve_exactly_the_pinned_versions(tmp_path: Path) -> None:
    """The builder's two RUNs, in a copy of the build context that .dockerignore lets through.

    The venv is created for real; the install is resolved for real (pip's ``--dry-run``: the
    wheels themselves, torch's several GB, are not downloaded) and must land on exactly the
    versions CI tests, from constraints.txt, and on the app built from the build context alone.
    """
    context = tmp_path / "context"
    for relative in build_context(REPO, REPO / ".dockerignore"):
        (context / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / relative, context / relative)
    venv = tmp_path / "venv"
    venv_argv = shlex.split(VENV_COMMAND.replace(VENV, str(venv)))
    subprocess.run([sys.executable, *venv_argv[1:]], check=True)

    report = tmp_path / "report.json"
    pip_argv = shlex.split(PIP_COMMAND.replace(VENV, str(venv)))
    subprocess.run(
        [*pip_argv, "--dry-run", "--ignore-installed", "--quiet", "--report", str(report)],
        cwd=context, check=True,
    )  # fmt: skip

    installs = json.loads(report.read_text())["install"]
    resolved = {_canonical(i["metadata"]["name"]): i["metadata"]["version"] for i in installs}
    pins = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[_canonical(name)] = version
    torch = next(i for i in installs if i["metadata"]["name"] == "torch")
    # The CUDA build's nvidia-* and triton wheels: not in constraints.txt (locked on the CPU
    # build), but pinned exactly by the torch wheel itself.
    pinned_by_torch = {
        _canonical(re.split(r"[=<>!~\[ ]", requirement)[0])
        for requirement in torch["metadata"].get("requires_dist", [])
        if "==" in requirement.partition(";")[0]
    }

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert resolved.pop("tensorseed") == project["version"]
    mismatched = {
        name: (version, pins.get(name))
        for name, version in resolved.items()
        if version.split("+")[0] != pins.get(name)
        and name not in pinned_by_torch
        and name not in UNPINNED_BY_DESIGN
    }
    assert not mismatched, f"resolved (version, pin) differ from constraints.txt: {mismatched}"


def test_the_cuda_builders_install_resolves_from_pypi(tmp_path: Path) -> None:
    """builder-cuda's install, resolved against PyPI alone, as the build sees it (``pip --isolated``:
    no local wheel folder, whose CPU torch would hide the CUDA build's own pins). A dry run: pip
    reads the wheels' metadata, not the several GB of wheels."""
    context = _copy_context(tmp_path)
    report = tmp_path / "report.json"
    cert = ["--cert", str(CA_BUNDLE)] if CA_BUNDLE.exists() else []
    install = shlex.split(PIP_COMMAND)[1:]  # install -c constraints.txt .[service]
    resolved = subprocess.run(
        [sys.executable, "-m", "pip", "--isolated", *install, *cert,
         "--dry-run", "--ignore-installed", "--quiet", "--report", str(report)],
        cwd=context, capture_output=True, text=True,
    )  # fmt: skip
    assert resolved.returncode == 0, resolved.stderr
    installs = {
        i["metadata"]["name"].lower(): i["metadata"]["version"]
        for i in json.loads(report.read_text())["install"]
    }
    assert "+" not in installs["torch"] and any(name.startswith("nvidia-") for name in installs)


def test_apt_command_resolves_on_the_image_debian_release(dockerfile: Dockerfile) -> None:
    """The builders' and the cuda image's packages, resolved by apt on this machine when it runs
    the same release, with Python's headers as the Debian base built by scripts/build_image.py
    names them (the official python images have them already: PYTHON_DEV_PACKAGES is empty)."""
    assert dockerfile.global_args["PYTHON_DEV_PACKAGES"] == ""
    codename = dockerfile.global_args["PYTHON_IMAGE"].rsplit("-", 1)[1]
    os_release = Path("/etc/os-release")
    host = dict(
        line.split("=", 1) for line in os_release.read_text().splitlines() if "=" in line
    ) if os_release.exists() else {}  # fmt: skip
    if shutil.which("apt-get") is None or host.get("VERSION_CODENAME") != codename:
        pytest.skip(f"needs apt-get on Debian {codename}, as in the image")
    install = APT_COMMAND.split(" && ")[1].replace("${PYTHON_DEV_PACKAGES}", DEBIAN_PYTHON_DEV)
    packages = [word for word in shlex.split(install)[2:] if not word.startswith("-")]
    policy = subprocess.run(["apt-cache", "policy", *packages], capture_output=True, text=True, check=True)
    if "Candidate: (none)" in policy.stdout or not policy.stdout:
        pytest.skip("apt has no package lists here; run 'apt-get update'")
    simulated = subprocess.run(
        ["apt-get", "install", "--simulate", "--no-install-recommends", *packages],
        capture_output=True, text=True,
    )  # fmt: skip
    assert simulated.returncode == 0, simulated.stderr


@pytest.mark.server
def test_healthcheck_passes_against_a_live_server_and_fails_without_one(dockerfile: Dockerfile) -> None:
    (healthcheck,) = [i for i in dockerfile.instructions if i.keyword == "HEALTHCHECK"]
    argv = healthcheck.exec_form()
    assert argv[0] == "python"
    command = [sys.executable, *argv[1:]]
    with running_server() as server:
        env = {"TENSORSEED_PORT": str(server.port), "PATH": "/usr/bin:/bin"}
        assert subprocess.run(command, env=env, capture_output=True).returncode == 0
    assert subprocess.run(command, env=env, capture_output=True).returncode != 0


def test_images_run_one_tensorseed_server_as_a_numeric_non_root_user(dockerfile: Dockerfile) -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["tensorseed"] == "tensorseed.cli:main"
    for target in TARGETS:
        user = dockerfile.of_stage(target, "USER")[-1].arguments
        uid, _, gid = user.partition(":")
        assert uid.isdigit() and gid.isdigit() and int(uid) != 0, (target, user)
        (entrypoint,) = dockerfile.of_stage(target, "ENTRYPOINT")
        (cmd,) = dockerfile.of_stage(target, "CMD")
        assert entrypoint.exec_form() + cmd.exec_form() == ["tensorseed", "serve"]
        assert dockerfile.env(target)["PATH"].startswith(f"{VENV}/bin:")


def test_base_images_are_pinned_by_version_tag(dockerfile: Dockerfile) -> None:
    stages = dockerfile.stages()
    bases = {image for image in stages.values() if image not in stages}
    assert bases
    for image in bases:
        assert re.fullmatch(r"[\w./-]+:\d+\.\d+\.\d+[\w.-]*", image), f"{image} is not pinned by version tag"


def test_default_target_is_the_cpu_image(dockerfile: Dockerfile) -> None:
    """``docker build .`` builds the last stage: CPU works everywhere, so it is the default."""
    assert list(dockerfile.stages())[-1] == "cpu"


def test_cpu_image_is_the_base_image_plus_the_venv_without_build_tools(dockerfile: Dockerfile) -> None:
    assert dockerfile.of_stage("cpu", "RUN") == []
    copies = [i.arguments for i in dockerfile.of_stage("cpu", "COPY")]
    assert copies == [f"--from=builder-cpu {VENV} {VENV}"]
    env = dockerfile.env("builder-cpu")
    assert (
        env["PIP_EXTRA_INDEX_URL"] == "${TORCH_CPU_INDEX}"
        and env["PIP_FIND_LINKS"] == "${TORCH_CPU_FIND_LINKS}"
    )
    args = [i.arguments for i in dockerfile.of_stage("builder-cpu", "ARG")]
    assert args == [
        "PYTHON_DEV_PACKAGES",
        "TORCH_CPU_INDEX=https://download.pytorch.org/whl/cpu",
        "TORCH_CPU_FIND_LINKS=",
    ]
    # The CUDA build takes PyPI's torch: a wheel folder holding the CPU build must not reach it.
    assert not {"PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS"} & set(dockerfile.env("builder-cuda"))
    # A kernel that does not compile fails the image build instead of shipping the fallback.
    assert dockerfile.env("builder-cpu")["TENSORSEED_REQUIRE_KERNEL"] == "1"


def test_copy_sources_are_in_the_build_context(dockerfile: Dockerfile) -> None:
    context = {p.as_posix() for p in build_context(REPO, REPO / ".dockerignore")}
    assert not any(p.startswith(("tests/", "k8s/", ".venv/", ".git/")) for p in context)
    for ins in dockerfile.instructions:
        if ins.keyword == "COPY" and not ins.arguments.startswith("--from="):
            for source in ins.arguments.split()[:-1]:
                assert any(p == source or p.startswith(f"{source}/") for p in context), source


def test_image_configuration_is_tensorseed_settings(dockerfile: Dockerfile) -> None:
    (expose,) = [i for i in dockerfile.instructions if i.keyword == "EXPOSE"]
    for target in TARGETS:
        env = dockerfile.env(target)
        names = {k.removeprefix("TENSORSEED_").lower() for k in env if k.startswith("TENSORSEED_")}
        assert names <= set(Settings.model_fields), names - set(Settings.model_fields)
        settings = Settings.model_validate({n: env[f"TENSORSEED_{n.upper()}"] for n in names})
        assert str(settings.port) == expose.arguments


def test_hadolint_ignores_are_explained(dockerfile: Dockerfile) -> None:
    """An ignore pragma needs a comment above it naming the rule and saying why."""
    assert not list(REPO.glob(".hadolint.y*ml")), "keep ignores inline, next to the line and its reason"
    for ins in dockerfile.instructions:
        for index, comment in enumerate(ins.comments):
            if comment.startswith("hadolint ignore="):
                explanation = " ".join(ins.comments[:index])
                for rule in comment.removeprefix("hadolint ignore=").split(","):
                    assert re.search(rf"{rule.strip()} \(.+\): \w+", explanation), (ins.line, rule)


def _copy_context(tmp_path: Path) -> Path:
    context = tmp_path / "context"
    for relative in build_context(REPO, REPO / ".dockerignore"):
        (context / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / relative, context / relative)
    return context


def _build_wheel(context: Path, wheels: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(context)],
        env={**os.environ, "TENSORSEED_REQUIRE_KERNEL": "1", **env}, capture_output=True, text=True,
    )  # fmt: skip


def test_the_build_context_compiles_the_cpu_kernel(tmp_path: Path) -> None:
    """The image's `pip install .` builds the compiled kernel from the build context alone (a
    wheel built here from the .dockerignore'd context, as the builders build it, must carry the
    extension)."""
    context = _copy_context(tmp_path)
    wheels = tmp_path / "wheels"
    built = _build_wheel(context, wheels, {})
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("tensorseed-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert any(re.fullmatch(r"tensorseed/stream/_kernel\..*\.so", n) for n in names)
    # The library and the service, under names that cannot collide with a user's own `app`.
    top_level = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert top_level == {"tensorseed", "tensorseed_service"}
    assert "tensorseed_service/main.py" in names and "tensorseed/recipe/presets/gpt2.json" in names


def test_a_kernel_that_does_not_compile_fails_the_image_build(tmp_path: Path) -> None:
    """With TENSORSEED_REQUIRE_KERNEL=1 (the builders' setting) a compiler error stops the build,
    where a plain install would quietly fall back to the numpy reference."""
    built = _build_wheel(_copy_context(tmp_path), tmp_path / "wheels", {"CC": "false"})
    assert built.returncode != 0
    assert "building 'tensorseed.stream._kernel' extension" in built.stdout + built.stderr
    assert not list((tmp_path / "wheels").glob("*.whl"))
