"""Shared helpers for the account tests: the one app in "required" mode, accounts, signing in, page callbacks."""
from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from dashboard.auth import accounts
from dashboard.auth.accounts import CONSOLE
from dashboard.auth.config import load_rules
from dashboard.state_db import state_engine as engine_for
from dashboard.context import get_context
from tests.browser import get_app

PASSWORD = "Sicher-Pass-2026"        # meets config/auth.toml (14 chars, 4 classes)
ACCOUNTS = {  # name: (role, region)
    "t-leader": ("leader", "4310"), "t-director": ("director", "431022"), "t-staff": ("staff", "431022101"),
    "t-sysadmin": ("sysadmin", None), "t-secadmin": ("secadmin", None), "t-auditor": ("auditor", None),
}


@pytest.fixture
def required_app(live_db_url, monkeypatch):
    """The process's app with sign-in required (restored after the test), and the test accounts present."""
    app = get_app(live_db_url)
    ctx = get_context()
    monkeypatch.setattr(ctx, "settings", replace(ctx.settings, auth_mode="required"))
    engine = engine_for(ctx.settings.state_db_url)
    for name, (role, region) in ACCOUNTS.items():
        if accounts.get(engine, name) is None:
            accounts.add(engine, CONSOLE, load_rules(), name, name, role, region, "4310", password=PASSWORD,
                         must_change=False)
    return app, engine


def sign_in(client, name: str, password: str = PASSWORD, next_url: str = "/"):
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    return client.post("/login", data={"name": name, "password": password, "csrf": csrf, "next": next_url})


def pages_payload(client, path: str, search: str) -> dict:
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if "_pages_content.children" in d["output"])
    return {"output": dep["output"],
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.search"], "state": []}


def render(client, path: str, search: str):
    """POST the pages router callback; returns (status, response text)."""
    r = client.post("/_dash-update-component", json=pages_payload(client, path, search))
    return r.status_code, as_text(r)


def as_text(response) -> str:
    """The body with JSON's \\u escapes undone, so Chinese text and codes can be searched for."""
    body = response.get_data().decode("utf-8", errors="replace")
    try:
        return json.dumps(json.loads(body), ensure_ascii=False)
    except ValueError:
        return body
