"""Production settings pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def run_manage(*args, env_extra: dict, drop: tuple = ()) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k not in drop}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "DJANGO_ALLOWED_HOSTS": "portal.example.kz",
}


def test_check_deploy_passes_in_production_mode():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = run_manage("check", env_extra=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_hardening_settings_are_on():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_CONTENT_TYPE_NOSNIFF, s.X_FRAME_OPTIONS, s.ALLOWED_HOSTS]))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="portal.settings")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    import json

    debug, session_secure, csrf_secure, ssl_redirect, hsts, nosniff, frame, hosts = json.loads(
        result.stdout.strip().splitlines()[-1]
    )
    assert debug is False
    assert session_secure
    assert csrf_secure
    assert ssl_redirect
    assert hsts >= 31536000
    assert nosniff
    assert frame == "DENY"
    assert hosts == ["portal.example.kz"]


def test_p5_production_refuses_to_trust_the_test_pki_root(tmp_path):
    from portal.signatures.testpki import TestPki

    pki = TestPki(tmp_path).ensure()
    result = run_manage("check", "--deploy", env_extra={**PRODUCTION, "SIGNATURE_TRUSTED_ROOTS": str(pki.root_path)})
    assert result.returncode != 0
    assert "signatures.E001" in result.stderr + result.stdout
