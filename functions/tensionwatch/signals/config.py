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
    # Floor of the spread: a quiet pair's baseline has ~0 spread, and one article must not read
    # as a 100-sigma event. A reading's score is its act on the Goldstein scale (a summons -2,
    # tariffs or restrictions -5, sanctions -8, force -10): 5 ≈ one routine dispute story, so
    # entering a state takes about two such stories' worth (or one grave one and a follow-up)
    # above the pair's normal, besides the stories and outlets it needs.
    min_spread: float = 5.0
    # Independent support to enter a state: stories (syndicated copies count once) and outlets
    # reporting in that direction. Alertmanager's "for" in spirit: one source is not a trend.
    min_stories: int = 2
    min_outlets: int = 3
    # Flash: one story of a grave act (force, invasion, cut or restored ties, sanctions, a
    # ceasefire or peace deal: the lexicon's `grave` flag, as it happened, not hedged or denied)
    # at or beyond FLASH_SCORE on the Goldstein scale (cutting ties is 161, -4.0), reported in the
    # same direction at FLASH_CORROBORATE or more (any realised act above a summons' -2 or a
    # statement) by FLASH_MIN_OUTLETS distinct outlets within FLASH_WINDOW. Raw magnitude alone
    # never flashes: a tariff dispute reads -5 and is not grave.
    flash_score: float = 4.0
    flash_corroborate_score: float = 3.0
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
