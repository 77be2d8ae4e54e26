"""The real libraries: Keras 3 on its torch backend (no TensorFlow, no JAX needed) and jax + flax
on the CPU. The backends are chosen before anything imports keras or jax."""

from __future__ import annotations

import os

os.environ["KERAS_BACKEND"] = "torch"  # the tests read Keras outputs as torch tensors
os.environ.setdefault("JAX_PLATFORMS", "cpu")
