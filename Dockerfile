# syntax=docker/dockerfile:1.7
# tensorseed container images: one uvicorn process per container, configured by TENSORSEED_* only.
#
#   docker build --target cpu  -t tensorseed:0.1.0-cpu  .   # the default target (last stage)
#   docker build --target cuda -t tensorseed:0.1.0-cuda .
#
# Without a registry, scripts/build_image.py makes the base from Debian's packages and builds with
# podman (`make image-check` builds the cpu image that way and runs it; docs/deployment.md).
#
# Every RUN below is exercised outside Docker by tests/deploy/test_dockerfile.py (the venv, the
# pinned pip install in a copy of this build context, the apt package set); keep them in step.

# Debian bookworm, the release CI and the developers' machines run, with the Python CI tests.
# Any bookworm image with Python 3.11 as `python` (with venv and ensurepip) and the system CA
# store will do; Debian's own python3 has its C headers in a separate package, named here.
ARG PYTHON_IMAGE=python:3.11.13-slim-bookworm
ARG PYTHON_DEV_PACKAGES=

# ---- builders: the pinned dependencies and the app, installed into /opt/venv ----------------
FROM ${PYTHON_IMAGE} AS builder
ARG PYTHON_DEV_PACKAGES
# pip trusts the system's CA store, where a build behind a TLS-inspecting proxy mounts its bundle.
# The kernel is required here: a compiler error fails the build instead of shipping the fallback.
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    TENSORSEED_REQUIRE_KERNEL=1
# The package build compiles the CPU kernel (tensorseed/stream/_kernel.c), so the builders need a C
# compiler; the final CPU image copies only the venv, with the compiled kernel, and no compiler.
# DL3008 (pin apt package versions): the pinned base image fixes the Debian release, as below.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev ${PYTHON_DEV_PACKAGES} \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml setup.py README.md constraints.txt ./
COPY tensorseed ./tensorseed
COPY app ./app

# PyPI's torch for Linux is the CUDA build (several GB of CUDA libraries); the CPU image takes the
# same pinned version (torch==X matches X+cpu, which pip prefers) from PyTorch's CPU wheel index,
# or from a mirror of it (TORCH_CPU_INDEX), or from a folder of wheels mounted into the build
# (TORCH_CPU_FIND_LINKS; scripts/build_image.py passes this machine's pip configuration).
FROM builder AS builder-cpu
ARG TORCH_CPU_INDEX=https://download.pytorch.org/whl/cpu
ARG TORCH_CPU_FIND_LINKS=
ENV PIP_EXTRA_INDEX_URL=${TORCH_CPU_INDEX} \
    PIP_FIND_LINKS=${TORCH_CPU_FIND_LINKS}
RUN --mount=type=cache,target=/root/.cache/pip /opt/venv/bin/pip install -c constraints.txt '.[service]'

# PyPI's torch: the CUDA build, its CUDA runtime and Triton as nvidia-* and triton wheels that the
# torch wheel pins exactly.
FROM builder AS builder-cuda
RUN --mount=type=cache,target=/root/.cache/pip /opt/venv/bin/pip install -c constraints.txt '.[service]'

# ---- runtime: what both images share --------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="tensorseed" \
      org.opencontainers.image.description="Reproducible neural-network weight initialization as a service" \
      org.opencontainers.image.licenses="Apache-2.0"
# Caches and HOME live under /tmp, so a read-only root filesystem needs one writable mount.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/tmp \
    XDG_CACHE_HOME=/tmp/cache \
    TENSORSEED_HOST=0.0.0.0 \
    TENSORSEED_PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('TENSORSEED_PORT', '8000') + '/v2/health/live', timeout=4)"]
# uvicorn drains in-flight streams on SIGTERM for TENSORSEED_SHUTDOWN_TIMEOUT seconds.
STOPSIGNAL SIGTERM
ENTRYPOINT ["tensorseed"]
CMD ["serve"]

# ---- cuda: torch's CUDA build; the host's driver comes in through the NVIDIA container toolkit --
FROM runtime AS cuda
ARG PYTHON_DEV_PACKAGES
# Triton compiles its kernel launchers with the system C compiler at run time, so this image
# keeps gcc, the C library headers and Python's (in the base image, or PYTHON_DEV_PACKAGES).
# DL3008 (pin apt package versions): the pinned base image fixes the Debian release; pinning the
# package versions too would break the build on every Debian security update instead of taking it.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev ${PYTHON_DEV_PACKAGES} \
    && rm -rf /var/lib/apt/lists/*
COPY --from=builder-cuda /opt/venv /opt/venv
ENV NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    TRITON_CACHE_DIR=/tmp/cache/triton
USER 10001:10001

# ---- cpu: the default image; nothing but the base image and the venv, no build tools ----------
FROM runtime AS cpu
COPY --from=builder-cpu /opt/venv /opt/venv
USER 10001:10001
