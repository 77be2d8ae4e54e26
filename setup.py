"""Packages and the compiled CPU kernel (tensorseed.stream._kernel).

Two packages install: ``tensorseed`` (the library, from tensorseed/) and ``tensorseed_service``
(the REST service, from the repository's app/ folder, whose modules import each other
relatively): a user's environment never gets a top-level ``app``. Everything else about the
project lives in pyproject.toml; this file exists because setuptools declares the package
mapping and C extensions here. The flags are part of the output's definition:
``-ffp-contract=off`` forbids fused multiply-add (the spec rounds every + and * separately) and
there is deliberately no ``-march``: the hot loop is cloned per ISA and picked at load time.
If the compiler is missing the build still succeeds (``optional=True``) and the service falls
back to the numpy reference, saying so in its log and in /metrics; with
``TENSORSEED_REQUIRE_KERNEL=1`` (the container builds) a kernel that does not compile fails the
build instead, with the compiler's error.
"""

from __future__ import annotations

import os
import sys

from setuptools import Extension, find_packages, setup

COMPILE_ARGS = [
    "-O3",
    "-std=c11",
    "-ffp-contract=off",
    "-fno-fast-math",
    "-fno-math-errno",
    "-fno-trapping-math",
    "-fno-strict-aliasing",
    "-pthread",
]
if sys.platform == "darwin":
    COMPILE_ARGS.remove("-pthread")

# Container builds set TENSORSEED_REQUIRE_KERNEL=1: an extension that does not compile then fails
# the build, with the compiler's error, instead of shipping the numpy fallback.
OPTIONAL = os.environ.get("TENSORSEED_REQUIRE_KERNEL") != "1"

SERVICE = "tensorseed_service"
LIBRARY_PACKAGES = find_packages(include=["tensorseed", "tensorseed.*"])
SERVICE_PACKAGES = [SERVICE + name[len("app") :] for name in find_packages(include=["app", "app.*"])]

setup(
    packages=LIBRARY_PACKAGES + SERVICE_PACKAGES,
    package_dir={SERVICE: "app"},
    ext_modules=[
        Extension(
            "tensorseed.stream._kernel",
            sources=["tensorseed/stream/_kernel.c"],
            extra_compile_args=COMPILE_ARGS,
            extra_link_args=[] if sys.platform == "darwin" else ["-pthread"],
            optional=OPTIONAL,
        ),
        # The statistics reducer (tensorseed/formats/_reduce.c): same flags, also optional.
        Extension(
            "tensorseed.formats._reduce",
            sources=["tensorseed/formats/_reduce.c"],
            extra_compile_args=COMPILE_ARGS,
            optional=OPTIONAL,
        ),
    ],
)
