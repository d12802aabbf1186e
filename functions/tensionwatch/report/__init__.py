"""What a person reads after a replay or the demo: one chart per pair and a self-contained page."""
