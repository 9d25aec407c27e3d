"""figure-etl: trustworthy figures from Chinese reports and news.

>>> from etl import extract_figures
>>> [f.value for f in extract_figures("项目总投资19亿元，占地183亩。")]
[1900000000.0, 122000.0]
"""
from importlib.metadata import PackageNotFoundError, version

from .figure import Figure

try:
    __version__ = version("figure-etl")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"


def extract_figures(text: str) -> list[Figure]:
    """Clean-free extraction on one text: every figure with its labels and offsets."""
    from .extract import extract_figures as _extract

    return _extract(text)


__all__ = ["Figure", "extract_figures", "__version__"]
