"""figure-etl: trustworthy figures from Chinese reports and news.

>>> from etl import extract_figures
>>> [(f.kind, f.value, f.metric) for f in extract_figures("该项目总投资19亿元，占地183亩。")]
[('investment', 1900000000.0, '总投资'), ('area', 122000.0, '占地')]
"""
from ._version import __version__
from .figures.figure import Figure
from .pipeline import extract_figures

__all__ = ["Figure", "extract_figures", "__version__"]
