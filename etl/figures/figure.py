"""The one record type for an extracted figure (built only by `etl.figures.extract`)."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from .numerals import NEGATIVE_SIGNS

KINDS = ("investment", "money", "area", "count", "percent")
QUALIFIERS = ("exact", "approx", "over", "under", "range")


@dataclass(frozen=True, slots=True)
class Figure:
    """One number in the text that states money, area, a count or a rate.

    Offsets (`char_start`, `char_end`) index the *cleaned* text handed to
    `extract_figures`; the pipeline maps them back to the raw file.
    `surface` is always ``text[char_start:char_end]``; `raw_start`/`raw_end`
    span the same figure in the text as it was before cleaning.
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
    raw_start: int | None = None
    raw_end: int | None = None

    @property
    def written_negative(self) -> bool:
        """The number was written with a minus sign or 负 (kept first in `number_text`).

        Money keeps the sign in `value` (a level: 利润-500万元 is -5e6); a rate, area or count
        does not (增速-12.6% is 12.6): whoever tells a change from a level reads it here.
        """
        return self.number_text.startswith(NEGATIVE_SIGNS)

    def to_dict(self) -> dict:
        return asdict(self)
