"""Tension Watch: alerts when relations between two countries thaw or escalate."""
