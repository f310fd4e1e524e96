"""Prometheus metrics: one registry per app, so that several apps can live in one process."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE_LATEST", "ServiceMetrics"]

_LATENCY_BUCKETS = (0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25,
                    0.5, 1.0, 2.5, 5.0, 10.0)


class ServiceMetrics:
    """Request counts and latency by route and status, plus the model a service serves."""

    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "http_requests_total", "HTTP requests by route template, method and status",
            ["service", "route", "method", "status"], registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds", "HTTP request latency by route template",
            ["service", "route", "method"], buckets=_LATENCY_BUCKETS, registry=self.registry,
        )
        self.model_info = Gauge(
            "model_version_info", "The model version served (1 on the current one)",
            ["service", "model", "version"], registry=self.registry,
        )
        self.model_load_failures = Counter(
            "model_load_failures_total", "Model versions that failed to load",
            ["service", "model", "version"], registry=self.registry,
        )
        self.service = service

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(self.service, route, method, str(status)).inc()
        self.latency.labels(self.service, route, method).observe(seconds)

    def set_model(self, name: str, version: str) -> None:
        self.model_info.clear()
        self.model_info.labels(self.service, name, version).set(1)

    def render(self) -> bytes:
        return generate_latest(self.registry)
