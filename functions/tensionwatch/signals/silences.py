"""The silences stage: which silence, if any, mutes an alert. Pure."""

from __future__ import annotations

from collections.abc import Iterable

from tensionwatch.models import Alert, Silence


def silenced_by(alert: Alert, silences: Iterable[Silence]) -> Silence | None:
    """The first silence (by id, so the answer is stable) muting `alert` at its firing time.

    Firing time is the alert's event time: a replay of old news meets the silences that were
    meant for that news, and the simulated demo behaves like production."""
    muting = [s for s in silences if s.mutes(alert, alert.fired_at)]
    return min(muting, key=lambda s: s.id) if muting else None
