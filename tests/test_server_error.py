"""An unexpected error answers in Chinese (500, or 503 for a database that cannot answer), never Werkzeug's page."""
from sqlalchemy.exc import OperationalError

from tests.browser import get_app

LOOPBACK = {"REMOTE_ADDR": "127.0.0.1"}


def _break(monkeypatch, server, exc):
    """Make /healthz's view raise exc (the view table can change after the first request; rules cannot)."""
    def broken():
        raise exc
    monkeypatch.setitem(server.view_functions, "healthz", broken)


def test_unexpected_error_is_a_chinese_500(live_db_url, monkeypatch):
    server = get_app(live_db_url).server
    _break(monkeypatch, server, RuntimeError("boom"))
    r = server.test_client().get("/healthz", environ_base=LOOPBACK)
    assert r.status_code == 500
    assert r.get_json() == {"status": "error", "message": "服务器未能完成请求，详情已记入日志。请稍后重试。"}


def test_locked_database_is_a_chinese_503_page(live_db_url, monkeypatch):
    server = get_app(live_db_url).server
    _break(monkeypatch, server, OperationalError("SELECT 1", {}, Exception("database is locked")))
    r = server.test_client().get("/healthz", headers={"Accept": "text/html"}, environ_base=LOOPBACK)
    assert r.status_code == 503
    body = r.get_data(as_text=True)
    assert "系统繁忙（数据库暂时无法响应），请稍后重试。" in body and "Internal Server Error" not in body
