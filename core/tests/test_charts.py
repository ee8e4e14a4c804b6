"""Chart data (core.charts) and the finder that serves ECharts' one file from node_modules."""

import pytest
from django.contrib.staticfiles import finders

from core.charts import chart, series
from core.staticfinders import NodeFileFinder


def test_a_chart_holds_one_value_per_category_for_each_series():
    data = chart(title="t", categories=["1月", "2月"], data=[series("上报", [3, None], colour="reported")])
    assert data["series"] == [{"name": "上报", "data": [3.0, None], "colour": "reported", "stack": ""}]
    with pytest.raises(ValueError):
        chart(title="t", categories=["1月"], data=[series("上报", [1, 2])])
    with pytest.raises(ValueError):
        chart(title="t", categories=[], data=[], kind="pie")


def test_the_finder_serves_only_the_listed_file_of_the_package(settings):
    finder = NodeFileFinder()
    found = finder.find("vendor/echarts/echarts.common.min.js")
    assert found and found.endswith("echarts/dist/echarts.common.min.js")
    assert finder.find("vendor/echarts/echarts.js") is None
    assert finder.find("vendor/echarts/echarts.common.min.js", find_all=True) == [found]
    listed = [(path, storage.prefix) for path, storage in finder.list([])]
    assert ("echarts.common.min.js", "vendor/echarts") in listed  # collectstatic writes the same path
    assert finder.check() == []
    assert finders.find("vendor/echarts/echarts.common.min.js") == found
