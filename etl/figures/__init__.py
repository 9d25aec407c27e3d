"""Figures: numerals, the language lexicon, the value of a figure, its context, and the `Figure` record."""
