"""Build the compiled CPU kernel (app.stream._kernel) next to the pure-Python package.

Everything else about the package lives in pyproject.toml; this file only exists because
setuptools declares C extensions here. The flags are part of the output's definition:
``-ffp-contract=off`` forbids fused multiply-add (the spec rounds every + and * separately) and
there is deliberately no ``-march``: the hot loop is cloned per ISA and picked at load time.
If the compiler is missing the build still succeeds (``optional=True``) and the service falls
back to the numpy reference, saying so in its log and in /metrics.
"""

from __future__ import annotations

import sys

from setuptools import Extension, setup

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

setup(
    ext_modules=[
        Extension(
            "app.stream._kernel",
            sources=["app/stream/_kernel.c"],
            extra_compile_args=COMPILE_ARGS,
            extra_link_args=[] if sys.platform == "darwin" else ["-pthread"],
            optional=True,
        )
    ]
)
