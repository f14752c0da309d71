"""bench/load_test.py's pure parts: percentiles, payload rewriting, drill plans, failure detection. No server."""
from __future__ import annotations

import json
import random

from bench.load_test import (
    Action,
    failed,
    is_click,
    percentile,
    plan_drills,
    rewrite,
    searched,
    summarize,
)

# the shape Chromium sends for the pages router and for a bar click (abridged from bench/payloads/)
PAGE_BODY = {
    "output": "..page-content.children...page-store.data..",
    "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
    "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/funds"},
               {"id": "_pages_location", "property": "search", "value": "?region=4310"}],
    "changedPropIds": ["_pages_location.pathname"], "state": [],
}
CLICK_BODY = {
    "output": "url.search",
    "outputs": {"id": "url", "property": "search"},
    "inputs": [[{"id": {"name": "funds-bars", "type": "drill"}, "property": "clickData",
                 "value": {"points": [{"curveNumber": 0, "pointNumber": 3, "y": "北湖区",
                                       "customdata": ["431002", "北湖区"]}]}}],
               [{"id": {"name": "period-select", "type": "nav"}, "property": "value", "value": "2026-11"}]],
    "changedPropIds": ['{"name":"funds-bars","type":"drill"}.clickData'],
    "state": [{"id": "url", "property": "search", "value": "?region=4310"}],
}


def test_percentile_nearest_rank_on_one_to_ten():
    values = [7, 1, 10, 3, 2, 9, 4, 8, 6, 5]
    assert percentile(values, 0.50) == 5
    assert percentile(values, 0.95) == 10
    assert percentile(values, 0.99) == 10
    assert percentile(values, 0.10) == 1


def test_percentile_on_one_to_hundred_and_small_samples():
    values = list(range(100, 0, -1))
    assert percentile(values, 0.50) == 50
    assert percentile(values, 0.95) == 95
    assert percentile(values, 0.99) == 99
    assert percentile([0.4], 0.95) == 0.4
    assert percentile([1.0, 2.0, 3.0], 0.5) == 2.0
    assert percentile([], 0.5) != percentile([], 0.5)      # NaN: no values, no figure


def test_rewrite_page_body_sets_location_and_leaves_the_rest():
    out = rewrite(PAGE_BODY, "/network", "?region=431022")
    assert out["inputs"] == [{"id": "_pages_location", "property": "pathname", "value": "/network"},
                             {"id": "_pages_location", "property": "search", "value": "?region=431022"}]
    assert out["output"] == PAGE_BODY["output"] and out["outputs"] == PAGE_BODY["outputs"]
    assert PAGE_BODY["inputs"][1]["value"] == "?region=4310"          # the template itself is untouched


def test_rewrite_click_names_the_new_region_in_click_data_and_state():
    out = rewrite(CLICK_BODY, "/funds", "?region=431022", click_code="431022101")
    point = out["inputs"][0][0]["value"]["points"][0]
    assert point["customdata"] == ["431022101", "北湖区"]
    assert out["state"] == [{"id": "url", "property": "search", "value": "?region=431022"}]
    assert out["inputs"][1][0]["value"] == "2026-11"                   # other inputs as captured
    assert CLICK_BODY["inputs"][0][0]["value"]["points"][0]["customdata"][0] == "431002"


def test_rewrite_grid_row_click_names_the_new_region():
    body = {"inputs": [{"id": "rankings-grid", "property": "cellClicked",
                        "value": {"value": "预警4项", "colId": "status_label", "rowIndex": 8, "rowId": "431026"}}],
            "state": [{"id": "url", "property": "search", "value": "?region=4310&period=2026-11"}]}
    out = rewrite(body, "/rankings", "?region=431002", click_code="431002101")
    assert out["inputs"][0]["value"] == {"value": "预警4项", "colId": "status_label", "rowIndex": 8,
                                         "rowId": "431002101"}
    assert out["state"][0]["value"] == "?region=431002"
    assert is_click(body)


def test_rewrite_href_keeps_scheme_and_host():
    body = {"inputs": [{"id": "url", "property": "href", "value": "http://127.0.0.1:8161/?region=4310"}],
            "state": []}
    out = rewrite(body, "/weekly", "?region=431002")
    assert out["inputs"][0]["value"] == "http://127.0.0.1:8161/weekly?region=431002"


def test_is_click_only_for_a_click_with_a_value():
    assert is_click(CLICK_BODY)
    assert not is_click(PAGE_BODY)
    empty = json.loads(json.dumps(CLICK_BODY))
    empty["inputs"][0][0]["value"] = None
    assert not is_click(empty)
    assert not is_click(None)


def test_searched_reads_the_navigate_answer():
    answer = json.dumps({"multi": True, "response": {"url": {"search": "?region=431002&period=2026-11"}}}).encode()
    assert searched(answer) == "?region=431002&period=2026-11"
    assert searched(b'{"multi": true, "response": {"x": {"children": "a"}}}') is None
    assert searched(b"<html>502 Bad Gateway</html>") is None


def test_failed_on_status_and_on_what_the_page_says():
    assert not failed(200, b'{"response": {"_pages_content": {"children": "ok"}}}')
    assert not failed(204, b"")                     # PreventUpdate: the callback changed nothing
    assert failed(502, b"")
    assert failed(401, '{"message": "未登录或登录已超时，请刷新页面重新登录"}'.encode())
    assert failed(0, b"connection refused")
    assert failed(200, b'{"props": {"className": "page-error"}}')
    assert failed(200, json.dumps({"children": "数据更新中断 · 最后更新 10:02"}).encode())              # escaped
    assert failed(200, json.dumps({"children": "数据更新中断"}, ensure_ascii=False).encode())        # raw UTF-8


def test_plan_drills_walks_down_the_tree_and_stops_at_a_leaf():
    tree = {"4310": ["431002", "431022"], "431002": ["431002001"], "431022": ["431022101", "431022102"],
            "431022101": ["431022101201"]}
    for seed in range(20):
        chain = plan_drills(random.Random(seed), tree, "4310", 3)
        assert chain[0] in tree["4310"]
        for parent, child in zip(chain, chain[1:]):
            assert child in tree[parent]
        # 431002 → 431002001 (a leaf here): two steps; 431022 → 4310221xx: two or three
        assert len(chain) == (2 if chain[0] == "431002" or chain[1] == "431022102" else 3)
    assert plan_drills(random.Random(1), tree, "431022101201", 2) == []
    assert plan_drills(random.Random(5), tree, "4310", 2) == plan_drills(random.Random(5), tree, "4310", 2)


def test_summarize_counts_errors_and_failures_and_takes_percentiles_of_successes():
    actions = [Action("drill", "/", "县", 0, seconds=s) for s in (0.1, 0.2, 0.3, 0.4)]
    actions.append(Action("drill", "/", "县", 0, seconds=0.5, first_error="HTTP 502", retried=True))   # ok on retry
    actions.append(Action("drill", "/", "县", 0, seconds=9.0, ok=False, first_error="HTTP 502", retried=True))
    actions.append(Action("page load", "/funds", "市", 0, seconds=1.5, requests=6, bytes=1000))
    s = summarize(actions)
    assert s["drill"]["n"] == 6
    assert s["drill"]["errors"] == 2 and s["drill"]["failed"] == 1
    assert s["drill"]["p50"] == 0.3 and s["drill"]["p95"] == 0.5        # the failed 9.0 s is not a latency
    assert s["page load"] == {"n": 1, "p50": 1.5, "p95": 1.5, "p99": 1.5, "errors": 0, "failed": 0,
                              "requests": 6, "bytes": 1000}
