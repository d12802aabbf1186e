"""A one-line progress bar for the commands: on stderr, and only when stderr is a terminal, so a
redirected or piped output never holds its frames."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

BAR_WIDTH = 40
MIN_REDRAW_SECONDS = 0.1  # a million articles need no million frames


def progress_bar(stream: TextIO, label: str) -> Callable[[float], None]:
    """Draw `label [####....] 42%` on `stream`, redrawn in place as the fraction done grows."""
    drawn: list[int] = []
    last = [0.0]

    def draw(done: float) -> None:
        filled = round(min(max(done, 0.0), 1.0) * BAR_WIDTH)
        now = time.monotonic()
        if drawn and (drawn[-1] == filled or now - last[0] < MIN_REDRAW_SECONDS) and done < 1.0:
            return  # redraw only when the bar grows: a log gets 40 frames, not thousands
        if drawn and drawn[-1] == BAR_WIDTH:
            return
        drawn.append(filled)
        last[0] = now
        stream.write(f"\r  {label}  [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:4.0%}")
        if done >= 1.0:
            stream.write("\n")
        stream.flush()

    return draw


def terminal_progress(stream: TextIO, label: str, quiet: bool) -> Callable[[float], None] | None:
    """`progress_bar` on `stream` when it is a terminal and `quiet` is not asked; else None."""
    if quiet or not stream.isatty():
        return None
    return progress_bar(stream, label)
