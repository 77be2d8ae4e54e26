"""scripts/build_image.py without podman: what it hands the build, and when it remakes the base."""

from __future__ import annotations

from pathlib import Path

from scripts.build_image import _local_folder, _mirror, base_tag, pip_build_options

SOURCES = """\
Types: deb
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
"""


def test_pip_configuration_becomes_build_arguments_and_read_only_mounts(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    index = tmp_path / "pypi" / "simple"
    wheels.mkdir()
    index.mkdir(parents=True)
    options = pip_build_options(
        {"find-links": str(wheels), "extra-index-url": f"file://{index} https://index.example/simple"}
    )
    assert options == [
        "--build-arg", f"TORCH_CPU_FIND_LINKS={wheels}",
        "--build-arg", f"TORCH_CPU_INDEX=file://{index} https://index.example/simple",
        # The index's pages link to ../../files: the folder above simple/ goes in whole.
        "--volume", f"{tmp_path / 'pypi'}:{tmp_path / 'pypi'}:ro",
        "--volume", f"{wheels}:{wheels}:ro",
    ]  # fmt: skip


def test_without_pip_configuration_the_dockerfile_defaults_stand() -> None:
    assert pip_build_options({}) == []


def test_only_local_absolute_locations_are_mounted() -> None:
    assert _local_folder("https://index.example/simple", index=True) is None
    assert _local_folder("relative/wheels", index=False) is None
    assert _local_folder("file:///srv/wheels", index=False) == Path("/srv/wheels")
    assert _local_folder("/srv/mirror/simple", index=False) == Path("/srv/mirror/simple")


def test_the_base_comes_from_the_mirror_that_serves_the_release() -> None:
    assert _mirror(SOURCES) == "http://mirror.example/debian"
    assert _mirror(SOURCES.replace("bookworm bookworm-updates", "trixie")) is None
    assert _mirror(None) is None


def test_the_cached_base_is_remade_when_its_sources_change() -> None:
    assert base_tag(SOURCES) == base_tag(SOURCES)
    assert base_tag(SOURCES) != base_tag(SOURCES.replace("mirror.example", "other.example"))
    assert base_tag(None).startswith("localhost/tensorseed-base:bookworm-")
