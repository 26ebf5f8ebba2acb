"""What the meetings app tells the apps above it, which connect to it in their AppConfig.ready (the
occupational health service logs a meeting it attended)."""

from django.dispatch import Signal

# Sent inside the transaction that completes a meeting's minutes, with `actor` and `meeting`.
minutes_completed = Signal()
