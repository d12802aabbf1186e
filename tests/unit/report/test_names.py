"""Charts name pairs in plain words: countries, never a leader or a demonym from the list of
ways news names a state."""

from __future__ import annotations

import pytest

from tensionwatch.report.data import pair_name


@pytest.mark.parametrize(
    ("dyad", "name"),
    [
        ("JP-KR", "Japan and South Korea"),
        ("DE-FR", "Germany and France"),  # the list also has Merz and Macron for them
        ("GY-VE", "Guyana and Venezuela"),  # the list's first word for Guyana is "Guyanese"
        ("EU-RU", "European Union and Russian Federation"),  # no ISO code for the EU
        ("CD-RW", "Democratic Republic of the Congo and Rwanda"),  # not ISO's "Congo, The ..."
    ],
)
def test_a_pair_is_named_by_its_countries(dyad: str, name: str) -> None:
    assert pair_name(dyad) == name
