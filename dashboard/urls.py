"""The URL is the drill state: /<page>?region=431022&period=2026-11&metric=coverage (&highlight=431022 on 排名)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlencode

STATE_KEYS = ("region", "period", "metric", "highlight")


def parse_search(search: str | None) -> dict[str, str]:
    query = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    return {k: v[0] for k, v in query.items() if k in STATE_KEYS and v}


def make_search(state: dict) -> str:
    clean = {k: state[k] for k in STATE_KEYS if state.get(k)}
    return "?" + urlencode(clean) if clean else ""


def href(path: str, **state) -> str:
    return path + make_search(state)


def with_changes(search: str | None, **changes) -> str:
    """The search string with some keys changed (None removes a key)."""
    state = parse_search(search)
    for key, value in changes.items():
        if value is None:
            state.pop(key, None)
        else:
            state[key] = value
    return make_search(state)
