"""Writes of the registry of doctor-experts, split by subdomain."""
