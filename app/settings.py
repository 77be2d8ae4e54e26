"""Service configuration: one pydantic-settings class, environment variables TENSORSEED_*."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

MIB = 1024 * 1024


class Settings(BaseSettings):
    """Every knob of the service; each field ``x`` is read from ``TENSORSEED_X``."""

    model_config = SettingsConfigDict(env_prefix="TENSORSEED_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    log_level: str = "info"
    #: Bytes generated per chunk; bounds the memory one stream holds at a time.
    chunk_bytes: int = Field(4 * MIB, ge=4096, le=1024**3)
    max_tensor_elements: int = Field(2**31, ge=1)
    max_total_elements: int = Field(2**33, ge=1)
    max_tensors: int = Field(10_000, ge=1)
    #: Planning steps one recipe may cost: one per tensor planned or preset entry expanded, one
    #: per (override pattern, tensor name) tested. Beyond it the recipe is refused with 413.
    max_plan_work: int = Field(200_000, ge=1000)
    max_body_bytes: int = Field(1 * MIB, ge=1024)
    #: Light generation jobs (elementwise streams, statistics) running at once on each device.
    max_active_jobs: int = Field(4, ge=1)
    #: Light jobs that may wait for a free slot; beyond this the service answers 429.
    max_queued_jobs: int = Field(16, ge=0)
    #: Heavy jobs (orthogonal QR, torch-exact replays) running at once on each device; they have
    #: their own slots, memory pool and worker, so light jobs never wait behind them.
    max_heavy_jobs: int = Field(1, ge=1)
    max_queued_heavy_jobs: int = Field(4, ge=0)
    #: Bytes each device's jobs may hold at once (chunks in flight, orthogonal matrices,
    #: torch-exact layers). A job is admitted only if its declared bytes fit (429 when the budget
    #: is spent, 413 when it could never fit). Keep budget + orthogonal cache + ~300 MiB of
    #: process baseline inside the pod's memory limit.
    memory_budget_bytes: int = Field(1024 * MIB, ge=64 * MIB)
    #: Bytes of finished orthogonal matrices kept for later requests (least recently used go).
    orthogonal_cache_bytes: int = Field(256 * MIB, ge=0)
    #: Concurrent requests that plan or generate, per client (API key, else address); 0: no cap.
    max_jobs_per_client: int = Field(4, ge=0)
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
    #: Refuse (422) parameters whose values could be infinite in the output dtype, which the
    #: stream spec would generate as infinities (and statistics would report as null).
    finite_values: bool = True
    #: Histogram numbers (bins x tensors) one statistics response may carry.
    max_stats_values: int = Field(1_000_000, ge=1024)
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

    # ---- slow and idle clients, connections ----
    #: A response whose client takes no data (256 KiB) for this many seconds is cut off and its
    #: job slot released.
    stall_timeout: float = Field(30.0, gt=0)
    #: Seconds a client has to send a complete request head (from connecting, or from the end of
    #: the previous response on a kept-alive connection).
    header_timeout: float = Field(10.0, gt=0)
    #: Seconds a client has to send a request body once its head has arrived.
    body_timeout: float = Field(30.0, gt=0)
    #: Seconds an idle kept-alive connection stays open.
    keep_alive_timeout: int = Field(5, ge=1)
    #: Most bytes of a request head (request line and headers).
    max_header_bytes: int = Field(64 * 1024, ge=4096)
    #: Open connections beyond which new ones are answered 503 (health checks still answered).
    max_connections: int = Field(512, ge=1)

    # ---- authentication and per-client limits ----
    #: API keys (comma-separated); when set, /v1/* needs ``Authorization: Bearer <key>``.
    api_keys: Annotated[list[str], NoDecode] = Field(default_factory=list, repr=False)
    #: A file with one API key per line (``#`` starts a comment): a mounted Kubernetes Secret. An
    #: absent file means no keys from it; it is re-read when it changes.
    api_keys_file: str | None = None
    #: Refuse to start without at least one API key (fail closed when a Secret is missing).
    auth_required: bool = False
    #: Whether /metrics also needs a key (when keys are configured).
    metrics_auth: bool = False
    #: Per client (key, else address): requests per second and burst; 0 disables.
    rate_limit_requests: float = Field(0.0, ge=0)
    rate_limit_burst: int = Field(20, ge=1)
    #: Per client: generated bytes per second (a response may take the client into debt; it
    #: then waits until the debt is repaid); 0 disables.
    rate_limit_bytes: float = Field(0.0, ge=0)
    rate_limit_bytes_burst: int = Field(1024 * MIB, ge=1)

    # ---- browsers ----
    #: Origins allowed to call the API from a browser (CORS); empty: CORS off.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator("api_keys", "cors_origins", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value


def get_settings() -> Settings:
    return Settings()
