"""Pure: rolling per-pair signals, states, alert decisions and silences."""
