from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PRODUCTION = {
    "HMS_SECRET_KEY": "a-long-random-production-key-" + "x7Q9" * 12,
    "HMS_SECURE_COOKIES": "1", "HMS_SSL_REDIRECT": "1", "HMS_HSTS_SECONDS": "31536000",
    "HMS_HSTS_INCLUDE_SUBDOMAINS": "1", "HMS_HSTS_PRELOAD": "1", "HMS_DEBUG": "0",
    "HMS_ALLOWED_HOSTS": "hms.example.org",
}


def test_the_deploy_checks_pass_under_production_settings(tmp_path: Path) -> None:
    env = {**os.environ, **PRODUCTION, "HMS_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests set it; production never does
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
