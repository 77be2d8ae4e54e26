# tensorseed: `make serve` runs the service, `make test` runs every check CI runs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --disable-pip-version-check -q -c constraints.txt
# `make serve PORT=9000` (or HOST=0.0.0.0); unset, the service reads TENSORSEED_HOST and
# TENSORSEED_PORT from the environment, else serves on 127.0.0.1:8000.
HOST   ?=
PORT   ?=

.PHONY: serve test lint typecheck openapi openapi-check clients clients-check deploy-check unit vectors lock clean ports bench gpu-check browser \
        replica-tools image-tools image-check image-cuda

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Runtime install: the library with the service extra (what `make serve` needs); re-run when
# the dependency files or the C code change (the editable install compiles
# tensorseed/stream/_kernel.c and tensorseed/formats/_reduce.c in place).
C_SOURCES := tensorseed/stream/_kernel.c tensorseed/formats/_reduce.c
$(VENV)/.runtime: pyproject.toml constraints.txt setup.py $(C_SOURCES) | $(BIN)/python
	$(PIP) -e '.[service]'
	touch $@

# Runtime plus the dev extras (what `make test` needs).
$(VENV)/.dev: pyproject.toml constraints.txt setup.py $(C_SOURCES) | $(BIN)/python
	$(PIP) -e '.[dev]'
	touch $@ $(VENV)/.runtime

serve: $(VENV)/.runtime
	$(BIN)/tensorseed serve $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

lint: $(VENV)/.dev
	$(BIN)/ruff check tensorseed app tests scripts setup.py
	$(BIN)/ruff format --check tensorseed app tests scripts setup.py

typecheck: $(VENV)/.dev
	$(BIN)/mypy tensorseed app

# The committed OpenAPI document must equal what the app serves.
openapi-check: $(VENV)/.dev
	$(BIN)/python scripts/export_openapi.py --check

openapi: $(VENV)/.dev
	$(BIN)/python scripts/export_openapi.py

# The TypeScript SDK's tools (generator, compiler), exactly as package-lock.json pins them.
TS     := clients/typescript
$(TS)/node_modules/.ci: $(TS)/package.json $(TS)/package-lock.json
	npm ci --prefix $(TS) --no-audit --no-fund --loglevel=error
	touch $@

# Regenerate clients/python and clients/typescript/src/gen from openapi/openapi.json.
clients: $(VENV)/.dev $(TS)/node_modules/.ci
	$(BIN)/python scripts/generate_clients.py

# The committed SDKs must equal what the generators produce from the committed document.
clients-check: $(VENV)/.dev $(TS)/node_modules/.ci
	$(BIN)/python scripts/generate_clients.py --check

# The container and Kubernetes files: lint the Dockerfile and the YAML, render each overlay
# (scripts/render_kustomize.py: no kustomize binary installs offline) and validate it strictly
# against the oldest and the newest Kubernetes API the manifests support.
K8S_VERSIONS := 1.30.0 1.37.0
K8S_OVERLAYS := cpu gpu
deploy-check: $(VENV)/.dev
	$(BIN)/hadolint --failure-threshold style Dockerfile
	$(BIN)/yamllint --strict k8s .yamllint.yaml
	mkdir -p build/k8s
	for overlay in $(K8S_OVERLAYS); do \
	  $(BIN)/python scripts/render_kustomize.py k8s/overlays/$$overlay > build/k8s/$$overlay.yaml || exit 1; \
	done
	for version in $(K8S_VERSIONS); do \
	  $(BIN)/kubernetes-validate --strict --quiet -k $$version $(K8S_OVERLAYS:%=build/k8s/%.yaml) || exit 1; \
	done

# The web page's test (tests/ui) drives Debian's Chromium through its chromedriver, never a
# downloaded browser; CI starts from a clean machine, so install the two packages when missing.
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; else \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    chromium chromium-driver; fi

# Debian packages the checks below run, installed where their command is missing (CI runs as
# root; elsewhere install them yourself): $(call debian,COMMAND:PACKAGE ...).
define debian
	@missing=""; for pair in $(1); do \
	  command -v $${pair%%:*} >/dev/null 2>&1 || test -x /usr/sbin/$${pair%%:*} || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing from Debian"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

# nginx, the load balancer of the replica tests (tests/deploy/test_replicas.py).
replica-tools:
	$(call debian,nginx:nginx)

# The SDK tests (tests/clients) compile and run the TypeScript SDK under node --test.
unit: $(VENV)/.dev ports browser $(TS)/node_modules/.ci replica-tools
	$(BIN)/pytest

# The reference ports (docs/stream-spec.md reimplemented in C and JavaScript); the conformance
# suite in tests/conformance runs them against the Python reference.
ports:
	$(MAKE) -C ports/c

test: lint typecheck openapi-check clients-check deploy-check unit

# Containers, for real (after `make test` in CI): build the cpu image with podman from a Debian
# base made here (scripts/build_image.py; no registry needed), then run it as the cpu overlay's
# pod: tests/deploy/test_image.py and the container replicas behind nginx (pytest -m image).
# podman runs containers with runc: crun, its default, fails on hybrid cgroups.
VERSION   := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
IMAGE_CPU := localhost/tensorseed:$(VERSION)-cpu
image-tools:
	$(call debian,podman:podman runc:runc debootstrap:debootstrap nginx:nginx)

image-check: $(VENV)/.dev image-tools
	$(BIN)/python scripts/build_image.py --target cpu --tag $(IMAGE_CPU) --report build/image/cpu.json
	TENSORSEED_IMAGE=$(IMAGE_CPU) $(BIN)/pytest -m image tests/deploy
	@cat build/image/cpu.json

# The CUDA image (not in CI: PyPI's CUDA build of torch brings several GB of wheels). It builds
# without a GPU; running it needs one and the NVIDIA container toolkit.
image-cuda: $(VENV)/.dev image-tools
	$(BIN)/python scripts/build_image.py --target cuda --tag localhost/tensorseed:$(VERSION)-cuda \
	  --report build/image/cuda.json

# Throughput and memory benchmark (not a test): a table on stdout, JSON under bench-results/.
bench: $(VENV)/.dev
	$(BIN)/python scripts/bench.py

# Equality and throughput of the Triton kernels on a CUDA device (needs a GPU; under 5 minutes).
gpu-check: $(VENV)/.dev
	$(BIN)/python scripts/gpu_check.py

# Regenerate the committed conformance vectors of every version (a published version's files
# must come out byte for byte as committed: `git diff` shows any change, which is a bug).
vectors: $(VENV)/.dev
	for spec in tensorseed-stream/1 tensorseed-stream/2; do \
	  $(BIN)/python scripts/make_vectors.py --spec $$spec && \
	  $(BIN)/python scripts/make_catalogue_vectors.py --spec $$spec || exit 1; \
	done

# Re-pin constraints.txt from a fresh resolution of pyproject's ranges.
# triton as torch 2.13.0's CUDA wheel pins it (the CPU build needs none, so pip alone would
# pick the newest, which the cuda image could not install next to that torch).
TRITON_FOR_TORCH := 3.7.1
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install -q torch==2.13.0 triton==$(TRITON_FOR_TORCH) -e '.[dev]'
	(echo "# Exact versions CI installs (pip install -c constraints.txt). Regenerate with 'make lock'."; \
	 .lock-venv/bin/pip freeze --exclude-editable | grep -v -E '^(tensorseed|setuptools|wheel)=' \
	 | sed 's/+cpu$$//') > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis $(TS)/node_modules $(TS)/dist
	$(MAKE) -C ports/c clean
