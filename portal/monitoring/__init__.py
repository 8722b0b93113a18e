"""The service's own monitoring: Prometheus metrics (``metrics``, served by ``views.metrics`` at
``/metrics`` to the operator only), request latency (``middleware``) and structured log lines
(``logs``). ``/healthz`` is ``portal/health.py``.

Part of the shared core: it imports no app. An app adds its own gauges with
``metrics.register_gauge`` in its ``AppConfig.ready``.
"""
