"""The demo's sources file, pointed at a local fake news server."""

from __future__ import annotations

from importlib import resources

from tensionwatch.sources.config import SourcesFile, parse_sources


def demo_sources_text(base_url: str) -> str:
    """The bundled demo sources file with every URL on `base_url`."""
    template = resources.files("tensionwatch.local").joinpath("data/sources.toml").read_text()
    return template.replace("{base}", base_url.rstrip("/"))


def demo_sources(base_url: str) -> SourcesFile:
    """The demo sources, validated; raises ValueError if the bundled file is invalid."""
    return parse_sources(demo_sources_text(base_url))
