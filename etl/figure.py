"""The one record type for an extracted figure, and the one place that builds it."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

KINDS = ("investment", "money", "area", "count", "percent")
QUALIFIERS = ("exact", "approx", "over", "under", "range")


@dataclass(frozen=True, slots=True)
class Figure:
    """One number in the text that states money, area, a count or a rate.

    Offsets (`char_start`, `char_end`) index the *cleaned* text handed to
    `extract_figures`; the pipeline maps them back to the raw file.
    `surface` is always ``text[char_start:char_end]``.
    """

    kind: str
    value: float
    unit: str
    surface: str
    number_text: str
    unit_text: str
    char_start: int
    char_end: int
    value_high: float | None = None
    counter: str = ""
    qualifier: str = "exact"
    metric: str = ""
    subject: str = ""
    sentence: str = ""
    sentence_start: int = field(default=0, compare=False)

    def to_dict(self) -> dict:
        return asdict(self)
