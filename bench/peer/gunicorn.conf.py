"""The peer's gunicorn settings: none of the portal's (its gunicorn.conf.py imports the portal)."""
