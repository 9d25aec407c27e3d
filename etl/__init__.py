"""figure-etl: trustworthy figures from Chinese reports and news.

>>> from etl import extract_figures
>>> [(f.kind, f.value, f.metric) for f in extract_figures("该项目总投资19亿元，占地183亩。")]
[('investment', 1900000000.0, '总投资'), ('area', 122000.0, '占地')]

`Figure` and `extract_figures` are imported on first use: the pipeline imports pandas
(~2 s), which `figure-etl status` or `--help` must not wait for.
"""
from ._version import __version__

__all__ = ["Figure", "extract_figures", "__version__"]


def __getattr__(name: str):
    if name == "Figure":
        from .figures.figure import Figure

        return Figure
    if name == "extract_figures":
        from .pipeline import extract_figures

        return extract_figures
    raise AttributeError(f"module 'etl' has no attribute {name!r}")
