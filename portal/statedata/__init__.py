"""The port to state information systems (through the e-government gateway, SHEP).

One call, ``statedata_query(system=..., key=..., on=...)`` (``services.py``), answers from the backend the
settings choose for that system: ``shep`` (an HTTP call shaped as the gateway's) or ``demo`` (rows staff
edit in the admin and tests write). Systems are declared in a registry (``systems.py``): the core declares
the civil registry, the pension/benefit recipients' status and the payments already assigned; an app adds
its own systems (the expert registry's diplomas, the disability database) from its ``AppConfig.ready``
with ``register_system`` and never edits this package.
"""
