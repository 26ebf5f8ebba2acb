"""A fixed-window rate limit on the shared cache, for forms open to people without an account.

The client address is kept only as a keyed hash in the cache key, never in the clear, and a new
hash each window."""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse(rate: str) -> tuple[int, int]:
    """"5/h" → (5, 3600): how many in how many seconds."""
    count, _slash, period = rate.partition("/")
    return int(count), PERIODS[period.strip() or "h"]


def _client(request: Any, action: str, window: int) -> str:
    """The address as a keyed hash of it with the action and the time window: the entries of one
    address in two windows cannot be matched with each other."""
    address = f"{action}:{window}:{request.META.get('REMOTE_ADDR', '')}"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def allow(request: Any, action: str, rate: str) -> bool:
    """Count one attempt of `action` from the request's address; False once the rate is used up."""
    limit, seconds = parse(rate)
    now = time.time()
    window = int(now // seconds)
    lasts = int((window + 1) * seconds - now) + 5  # the entry ends with its window
    key = f"rl:{action}:{_client(request, action, window)}:{window}"
    cache.add(key, 0, timeout=lasts)
    try:
        used = cache.incr(key)
        cache.touch(key, lasts)  # incr alone would keep it for the cache's default 5 minutes
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, timeout=lasts)
        used = 1
    return used <= limit
