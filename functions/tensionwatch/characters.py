"""Characters that must not reach a reader from text the product did not write. Pure.

Controls (ESC sequences, NUL, backspace), format characters (bidi overrides and isolates,
zero-width spaces and joiners), surrogates and private use: in a link they forge lines or reorder
what is shown; in a rendered alert they hide or disguise text. Sources refuse links holding
them; renderers drop them from news text.
"""

from __future__ import annotations

import unicodedata
from typing import Final

HIDDEN_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Co"})


def is_hidden(char: str) -> bool:
    """Whether `char` is a control, format, surrogate or private-use character."""
    return unicodedata.category(char) in HIDDEN_CATEGORIES
