"""The one record type for an extracted figure (built only by `etl.figures.extract`)."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from .numerals import NEGATIVE_SIGNS

KINDS = ("investment", "money", "area", "count", "percent")
QUALIFIERS = ("exact", "approx", "over", "under", "range")
RELATIONS = ("level", "increase", "decrease", "share")
MODALITIES = ("actual", "target")


# Not frozen: a frozen __init__ sets each of the 23 fields through object.__setattr__, 4x the
# cost of building a mutable one, once per figure. Nothing assigns to a Figure once
# `extract` has built it (`parts` makes a new one with dataclasses.replace); it hashes by
# its fields as before.
@dataclass(slots=True, unsafe_hash=True)
class Figure:
    """One number in the text that states money, area, a count or a rate.

    Offsets (`char_start`, `char_end`) index the *cleaned* text handed to
    `extract_figures`; the pipeline maps them back to the raw file.
    `surface` is always ``text[char_start:char_end]``; `raw_start`/`raw_end`
    span the same figure in the text as it was before cleaning.

    The context (contract v3): `indicator` is what is measured, `relation` which way
    (one of RELATIONS), `period_start`/`period_end` the dates it refers to (None when the
    text does not fix them) and `period_text` the time words, `modality` whether it is a
    result or a goal (MODALITIES). `part_of` is the span (char_start, char_end) of the
    total this figure is a part of, None when it is no part.
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
    indicator: str = ""
    relation: str = "level"
    period_start: date | None = None
    period_end: date | None = None
    period_text: str = ""
    modality: str = "actual"
    part_of: tuple[int, int] | None = None

    @property
    def written_negative(self) -> bool:
        """The number was written with a minus sign or 负 (kept first in `number_text`).

        Money keeps the sign in `value` (a level: 利润-500万元 is -5e6); a rate, area or count
        does not (增速-12.6% is 12.6): whoever tells a change from a level reads it here.
        """
        return self.number_text.startswith(NEGATIVE_SIGNS)

    def to_dict(self) -> dict:
        return asdict(self)
