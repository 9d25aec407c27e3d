"""Readers: find inputs and turn each format's bytes into text (one reader per format)."""
