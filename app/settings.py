"""Service configuration: one pydantic-settings class, environment variables TENSORSEED_*."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of the service; each field ``x`` is read from ``TENSORSEED_X``."""

    model_config = SettingsConfigDict(env_prefix="TENSORSEED_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    log_level: str = "info"
    #: Bytes generated per chunk; bounds the memory one stream holds at a time.
    chunk_bytes: int = Field(4 * 1024 * 1024, ge=4096, le=1024**3)
    max_tensor_elements: int = Field(2**31, ge=1)
    max_total_elements: int = Field(2**33, ge=1)
    max_tensors: int = Field(10_000, ge=1)
    max_body_bytes: int = Field(1024 * 1024, ge=1024)
    #: Generation jobs (streams or statistics requests) running at once on each device.
    max_active_jobs: int = Field(4, ge=1)
    #: Jobs that may wait for a free slot; beyond this the service answers 429.
    max_queued_jobs: int = Field(16, ge=0)
    #: Where to generate: ``auto`` (every visible CUDA GPU, else the CPU), ``cpu``, or ``cuda:0,cuda:1``.
    devices: str = "auto"
    #: CPU kernel threads per chunk; 0 means every CPU this process may use.
    threads: int = Field(0, ge=0, le=256)
    #: ``auto`` uses the compiled CPU kernel when it is built; ``reference`` forces numpy.
    cpu_kernel: Literal["auto", "reference"] = "auto"
    #: Chunks generated ahead of the one being sent, per request (bounds memory per stream).
    chunks_in_flight: int = Field(2, ge=1, le=64)
    retry_after_seconds: int = Field(1, ge=1)
    max_histogram_bins: int = Field(1024, ge=1)
    #: Signal propagation (POST /v1/propagation, /compare, /plot): work and memory per request.
    propagation_max_batch: int = Field(4096, ge=1)
    propagation_max_depth: int = Field(1000, ge=1)
    #: batch x units x positions over the input and every layer (three float64 copies are held).
    propagation_max_activation_elements: int = Field(2**22, ge=1)
    #: Elements of one layer's weight (held as float64 while that layer is computed).
    propagation_max_layer_weights: int = Field(2**22, ge=1)
    #: Multiply-adds of a forward pass, all compared schemes together (backward costs twice that).
    propagation_max_macs: int = Field(2**32, ge=1)
    propagation_max_schemes: int = Field(16, ge=1)
    #: Histogram panels one picture may draw; tensors one statistics std chart may list.
    max_plot_panels: int = Field(64, ge=1)
    max_plot_tensors: int = Field(1024, ge=1)
    #: Longest recipe token accepted or issued: 8000 keeps `GET /v1/recipes/<token>/...` within
    #: the 8 KiB request line that common proxies (nginx's default) accept.
    max_token_chars: int = Field(8000, ge=64)
    #: Seconds a shutdown (SIGTERM) waits for in-flight responses before cutting them off.
    #: Kubernetes' terminationGracePeriodSeconds must exceed it (k8s/base/deployment.yaml).
    shutdown_timeout: int = Field(30, ge=0, le=3600)


def get_settings() -> Settings:
    return Settings()
