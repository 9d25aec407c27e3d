"""The small public API the README shows."""
import doctest

import etl


def test_package_docstring_example_holds():
    assert doctest.testmod(etl).failed == 0


def test_public_names():
    assert set(etl.__all__) == {"Figure", "extract_figures", "__version__"}
    f = etl.extract_figures("新区完成投资151.67亿元，完成比例63.06%。")
    assert [(x.kind, x.metric) for x in f] == [("investment", "完成投资"), ("percent", "完成比例")]
