"""Command-line commands; `tensionwatch.cli` dispatches here."""
