"""The numbers of the signal model, as one plain value the pure code takes. Pure.

Defaults here are the documented ones (docs/signals.md); the score function's settings
(`ScoreSettings`) carry the same names and build this value, so an operator tunes them through
the environment without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SignalConfig:
    # The decisive window: one news cycle. CrisisWatch reads a month; a day is what a desk
    # watching for a turn needs, and hourly buckets make it exact to the hour.
    window_hours: int = 24
    # The trend window, reported beside the decisive one (daily buckets).
    trend_days: int = 7
    # The pair's own normal: mean and spread of the daily net score over the 30 days before the
    # window (a month, as CrisisWatch compares against). Days without news count as 0.
    baseline_days: int = 30
    # A state is entered when the window's net score departs from the baseline by ENTER spreads
    # (2 sigma: about 1 day in 40 by chance for a normal pair) and left only when it comes back
    # inside EXIT spreads. ENTER > EXIT is the hysteresis that stops flapping.
    enter_margin: float = 2.0
    exit_margin: float = 1.0
    # Floor of the spread: a quiet pair's baseline has ~0 spread, and one strong article
    # (Goldstein |score| up to 10) must not read as a 100-sigma event. 8 ≈ one strong story.
    min_spread: float = 8.0
    # Independent support to enter a state: stories (syndicated copies count once) and outlets
    # reporting in that direction. Alertmanager's "for" in spirit: one source is not a trend.
    min_stories: int = 2
    min_outlets: int = 3
    # Flash: one story at or beyond FLASH_SCORE (the scorer saturates near 10 for a clear
    # sanction, threat or agreement), reported in the same direction at FLASH_CORROBORATE or
    # more by FLASH_MIN_OUTLETS distinct outlets (the first and >= 2 others) within FLASH_WINDOW.
    flash_score: float = 9.0
    flash_corroborate_score: float = 6.0
    flash_min_outlets: int = 3
    flash_window_hours: int = 6
    # One flash per pair and direction per cooldown: a story keeps being reported for a day.
    flash_cooldown_hours: int = 24
    # Alertmanager's repeat_interval: an unchanged non-steady state is re-sent after this
    # (its default is 4 h for pages; a news signal that moves daily wants days, not hours).
    repeat_interval_hours: int = 72
    # Severity: critical needs both strength (sigma) and breadth (outlets); warning either.
    critical_margin: float = 4.0
    critical_outlets: int = 5
    warning_margin: float = 3.0
    warning_outlets: int = 4
