"""The kind of a document (statistical communiqué, work report, company news, project
news), from words in its head; the words are data (`etl/data/genres.toml`).

Pure: text in, a kind out. The consistency checks read it to judge what scale a figure is
about when its sentence does not say (a sown area of 1.19 million km² is right for a
country's communiqué, absurd for a project).
"""
from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

OTHER = "other"


@cache
def genre_data() -> dict:
    """etl/data/genres.toml, read once."""
    return tomllib.loads(resources.files("etl.data").joinpath("genres.toml").read_text("utf-8"))


def kinds() -> tuple[str, ...]:
    """Every kind a text may get, `other` last."""
    return (*genre_data()["kinds"], OTHER)


def document_kind(text: str) -> str:
    """The kind whose words occur most often in the head of `text` (first listed on a tie),
    `other` when none does."""
    data = genre_data()
    head = text[:data["head_chars"]]
    best, best_score = OTHER, 0
    for kind, entry in data["kinds"].items():
        score = sum(head.count(word) for word in entry["words"])
        if score > best_score:
            best, best_score = kind, score
    return best
