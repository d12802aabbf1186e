"""Pure: the lexicon, country detection and the article scorer."""
