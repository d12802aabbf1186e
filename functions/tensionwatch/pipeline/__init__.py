"""Application services: one per function, composing adapters and the pure core."""
