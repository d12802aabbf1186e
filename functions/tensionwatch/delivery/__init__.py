"""Senders, one per channel: I/O only, failures classified as recoverable or not."""
