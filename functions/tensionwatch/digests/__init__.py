"""Digests: when each subscription's brief is due, and what it says. Pure."""
