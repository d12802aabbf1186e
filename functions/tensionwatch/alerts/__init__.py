"""Pure renderers: one per channel, alert in, payload out."""
