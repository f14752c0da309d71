"""Forged callbacks: every registered callback and every route, for a county director and a township worker,
with inputs naming regions they may not see in detail; no response may carry the code of such a region
(other than the code the forged request itself sent)."""
from __future__ import annotations

import json
import re

import pytest

from dashboard import labels
from tests.auth_support import as_text, required_app, sign_in  # noqa: F401  (fixture)
from tests.fixtures import REGION_CODES

PAGES = [p for p, _ in labels.PAGES] + ["/screen", "/weekly", "/quality", "/yearly", "/nowhere"]
ROLES = {  # account: (detail scope, forged region codes to ask for)
    "t-director": ("431022", ["4310", "431002", "431002001", "431002001001", "431002002002"]),
    "t-staff": ("431022101", ["431022", "431022102", "431022102200", "431002001"]),
}


def forbidden(scope: str) -> set[str]:
    """Township and village codes (12-digit and short) outside the viewer's detail scope."""
    out = set()
    for code in REGION_CODES:
        short = code[:9] if code.endswith("000") else code
        if len(short) >= 9 and not short.startswith(scope):
            out |= {code, short}
    return out


def _wild(id_text: str):
    """A concrete id for a registered one; pattern-matching ids get one element named "x"."""
    if not id_text.startswith("{"):
        return id_text, False
    ident = json.loads(id_text)
    wild = any(isinstance(v, list) for v in ident.values())
    return {k: ("x" if isinstance(v, list) else v) for k, v in ident.items()}, wild


def _value(prop: str, path: str, code: str):
    code12 = code.ljust(12, "0")
    return {"pathname": path, "search": f"?region={code}&highlight={code}&period=2026-11",
            "href": f"http://localhost{path}?region={code}",
            "data": {"region": code, "highlight": code, "period": "2026-11", "metric": None},
            "clickData": {"points": [{"customdata": [code12, "x"], "location": code12}]},
            "cellClicked": {"rowId": code12}, "value": code, "n_clicks": 1}.get(prop)


def _items(specs, path, code, with_value=True):
    out = []
    for spec in specs:
        ident, wild = _wild(spec["id"])
        item = {"id": ident, "property": spec["property"]}
        if with_value:
            item["value"] = _value(spec["property"], path, code)
        out.append([item] if wild else item)
    return out


def _outputs(output: str):
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    out = []
    for part in parts:
        ident, prop = part.rsplit(".", 1)
        ident, wild = _wild(ident)
        out.append([{"id": ident, "property": prop}] if wild else {"id": ident, "property": prop})
    return out if output.startswith("..") else out[0]


def forged_requests(deps, path: str, code: str):
    for dep in deps:
        if dep.get("clientside_function"):
            continue                                            # runs in the browser: nothing to forge here
        inputs = _items(dep["inputs"], path, code)
        yield dep["output"], {
            "output": dep["output"], "outputs": _outputs(dep["output"]), "inputs": inputs,
            "state": _items(dep.get("state", []), path, code),
            "changedPropIds": [f"{json.dumps(i['id'], separators=(',', ':')) if isinstance(i['id'], dict) else i['id']}"
                               f".{i['property']}" for i in (x[0] if isinstance(x, list) else x for x in inputs)]}


@pytest.mark.parametrize("account", list(ROLES))
def test_forged_callbacks_and_routes_leak_no_lower_level_codes(required_app, account):
    app, _ = required_app
    scope, asks = ROLES[account]
    secret = forbidden(scope)
    assert len(secret) >= 8                                    # the check below has something to find
    client = app.server.test_client()
    sign_in(client, account)
    deps = client.get("/_dash-dependencies").get_json()
    assert any("_pages_content.children" in d["output"] for d in deps) and len(deps) >= 5
    routes = sorted({r.rule for r in app.server.url_map.iter_rules()
                     if "<" not in r.rule and "GET" in r.methods and r.rule not in ("/logout",)})
    checked, refused = 0, 0
    for code in asks:
        allowed_echo = {code, code.ljust(12, "0")}
        leaks = lambda text: sorted(c for c in secret - allowed_echo if re.search(rf"(?<!\d){c}(?!\d)", text))  # noqa: E731
        for path in PAGES:
            for output, payload in forged_requests(deps, path, code):
                if path != "/" and "_pages_content" not in output:
                    continue                                    # non-page callbacks: one path is enough
                r = client.post("/_dash-update-component", json=payload)
                text = as_text(r)
                assert not leaks(text), f"{account} {path} {code} {output}: {leaks(text)}"
                checked += 1
                refused += "不在您的查看范围" in text or "仅可查看本县" in text or "只能查看" in text
        for route in routes + [f"{p}?region={code}&highlight={code}" for p in PAGES]:
            r = client.get(route if "?" in route else f"{route}?region={code}")
            text = as_text(r)
            assert not leaks(text), f"{account} GET {route} {code}: {leaks(text)}"
            checked += 1
    assert checked > 100 and refused >= len(asks) * 4       # the page callback refused every forged region
