"""X-7: monthly monitoring reports. The machinery lives here; each app registers its own reports.

An app declares a ``ReportDefinition`` (a key, a title, the labels of its figures and a ``build``
function over its own selectors returning ``Section`` tables of SQL aggregates) and registers it
with ``registry.register_report`` from its ``AppConfig.ready``. The core builds, stores
(``MonthlyReport``), draws (server-side SVG, ``charts.py``) and exports (``portal.spreadsheets``)
whatever is registered, and imports no app.
"""
