"""The 三员 pages: /admin/accounts (系统管理员), /admin/roles (安全管理员), /audit + /audit.xlsx (审计管理员).

Each view checks its one permission; a signed-in account without it gets a Chinese refusal (and the attempt
is written to the audit log).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import Response, g, request

from dashboard.auth import accounts, audit, roles
from dashboard.auth.config import load_rules
from dashboard.auth.html import page
from dashboard.auth.web import csrf_ok, csrf_token, engine, refuse, settings

ACCOUNTS = """<div class="admin"><h4>账号管理</h4>
{% if msg %}<div class="alert alert-{{ kind }}">{{ msg }}</div>{% endif %}
<form method="post" class="row g-2 mb-4"><input type="hidden" name="csrf" value="{{ csrf }}"><input type="hidden" name="op" value="add">
<div class="col-md-3"><input class="form-control" name="name" placeholder="账号名" required></div>
<div class="col-md-3"><input class="form-control" name="full_name" placeholder="姓名"></div>
<div class="col-md-2"><button class="btn btn-primary" type="submit">新建账号</button></div>
<div class="col-12 text-muted small">新账号没有角色，由安全管理员分配角色与区划；初始密码只显示一次，用户首次登录须修改。</div></form>
<table class="table table-sm align-middle"><thead><tr><th>账号</th><th>姓名</th><th>角色</th><th>状态</th><th>操作</th></tr></thead><tbody>
{% for a in rows %}<tr><td>{{ a.name }}</td><td>{{ a.full_name }}</td><td>{{ a.role_name }}</td><td>{{ a.state }}</td><td>
<form method="post" class="d-inline"><input type="hidden" name="csrf" value="{{ csrf }}"><input type="hidden" name="name" value="{{ a.name }}">
{% if a.active %}<button class="btn btn-sm btn-outline-danger" name="op" value="disable">停用</button>{% else %}<button class="btn btn-sm btn-outline-success" name="op" value="enable">启用</button>{% endif %}
{% if a.role != "display" %}<button class="btn btn-sm btn-outline-secondary" name="op" value="reset">重置密码</button>{% else %}
<button class="btn btn-sm btn-outline-secondary" name="op" value="token_add">新建令牌</button><button class="btn btn-sm btn-outline-secondary" name="op" value="token_revoke">吊销令牌</button>{% endif %}
</form></td></tr>{% endfor %}</tbody></table></div>"""

ROLES = """<div class="admin"><h4>角色与区划</h4>
{% if msg %}<div class="alert alert-{{ kind }}">{{ msg }}</div>{% endif %}
<table class="table table-sm align-middle"><thead><tr><th>账号</th><th>姓名</th><th>当前角色</th><th>区划</th><th>分配</th></tr></thead><tbody>
{% for a in rows %}<tr><td>{{ a.name }}</td><td>{{ a.full_name }}</td><td>{{ a.role_name }}</td><td>{{ a.region_short }}</td><td>
<form method="post" class="d-flex gap-1"><input type="hidden" name="csrf" value="{{ csrf }}"><input type="hidden" name="name" value="{{ a.name }}">
<select class="form-select form-select-sm" name="role">{% for k, n in choices %}<option value="{{ k }}" {% if k == a.role %}selected{% endif %}>{{ n }}</option>{% endfor %}</select>
<input class="form-control form-control-sm" name="region" placeholder="区划代码" value="{{ a.region_short }}">
<button class="btn btn-sm btn-primary" type="submit">保存</button></form></td></tr>{% endfor %}</tbody></table></div>"""

AUDIT = """<div class="admin"><h4>审计日志</h4>
<form method="get" class="row g-2 mb-3">
<div class="col-md-2"><input class="form-control" name="account" placeholder="账号" value="{{ f.account }}"></div>
<div class="col-md-2"><select class="form-select" name="event"><option value="">全部事件</option>
{% for k, n in events %}<option value="{{ k }}" {% if k == f.event %}selected{% endif %}>{{ n }}</option>{% endfor %}</select></div>
<div class="col-md-2"><input class="form-control" name="start" value="{{ f.start }}" placeholder="起始日期，如 2026-11-01" title="起始日期"></div>
<div class="col-md-2"><input class="form-control" name="end" value="{{ f.end }}" placeholder="截止日期（含）" title="截止日期（含）"></div>
<div class="col-md-4"><button class="btn btn-primary" type="submit">筛选</button>
<a class="btn btn-outline-secondary" href="/audit.xlsx?{{ query }}">下载 Excel</a></div></form>
{% if error %}<div class="alert alert-warning">{{ error }}</div>{% endif %}
<p class="text-muted small">共 {{ rows|length }} 条（最多显示 2000 条，按时间倒序）；日志保留 {{ days }} 天。</p>
<table class="table table-sm"><thead><tr><th>时间</th><th>账号</th><th>事件</th><th>结果</th><th>来源地址</th><th>详情</th></tr></thead><tbody>
{% for r in rows %}<tr><td>{{ r.at.strftime("%Y-%m-%d %H:%M:%S") }}</td><td>{{ r.account }}</td><td>{{ names.get(r.event, r.event) }}</td>
<td>{{ "成功" if r.ok else "失败" }}</td><td>{{ r.ip }}</td><td>{{ r.detail }}</td></tr>{% endfor %}</tbody></table></div>"""


def register(server) -> None:
    server.add_url_rule("/admin/accounts", "admin_accounts", accounts_view, methods=["GET", "POST"])
    server.add_url_rule("/admin/roles", "admin_roles", roles_view, methods=["GET", "POST"])
    server.add_url_rule("/audit", "audit", audit_view)
    server.add_url_rule("/audit.xlsx", "audit_xlsx", audit_download)


def _actor(permission: str):
    """The signed-in actor when it holds `permission`, else a refusal response (logged)."""
    viewer = g.get("viewer")
    if viewer is None or viewer.demo or not roles.can(viewer.role, permission):
        audit.record("denied", f"{request.method} {request.path}", ok=False)
        what = {"accounts": "系统管理员", "roles": "安全管理员", "audit": "审计管理员"}[permission]
        return None, refuse(f"本页仅限{what}使用。")
    return accounts.Actor(viewer.name, viewer.role), None


def _who() -> str:
    v = g.viewer
    return f"{v.full_name}（{roles.NAMES.get(v.role, v.role)}）"


def _rows():
    out = []
    for a in accounts.list_all(engine()):
        a["role_name"] = roles.NAMES.get(a["role"], a["role"])
        a["region_short"] = _short(a["region"])
        a["state"] = "停用" if not a["active"] else ("锁定" if a["locked_until"] and a["locked_until"] > audit.now() else "正常")
        out.append(a)
    return out


def _short(code):
    from queries import codes
    return codes.short_code(code) if code else ""


def accounts_view():
    actor, refused = _actor("accounts")
    if refused:
        return refused
    msg, kind = "", "success"
    if request.method == "POST":
        op, name = request.form.get("op"), request.form.get("name", "").strip()
        try:
            if not csrf_ok():
                raise ValueError("页面已过期，请重新提交")
            eng, rules = engine(), load_rules()
            if op == "add":
                pw = accounts.add(eng, actor, rules, name, request.form.get("full_name", ""))
                msg = f"已新建账号“{name}”，初始密码：{pw}（只显示这一次）"
            elif op in ("disable", "enable"):
                accounts.set_active(eng, actor, name, op == "enable")
                msg = f"已{'启用' if op == 'enable' else '停用'}账号“{name}”"
            elif op == "reset":
                msg = f"账号“{name}”的新密码：{accounts.reset_password(eng, actor, rules, name)}（只显示这一次）"
            elif op == "token_add":
                msg = f"大屏地址：/screen?token={accounts.add_token(eng, actor, name)}（只显示这一次）"
            elif op == "token_revoke":
                msg = f"已吊销“{name}”的 {accounts.revoke_tokens(eng, actor, name)} 个令牌"
            else:
                raise ValueError("未知操作")
        except (ValueError, accounts.Denied) as exc:
            msg, kind = str(exc), "danger"
    return page("账号管理", ACCOUNTS, nav=True, who=_who(), msg=msg, kind=kind, rows=_rows(), csrf=csrf_token())


def roles_view():
    actor, refused = _actor("roles")
    if refused:
        return refused
    msg, kind = "", "success"
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        try:
            if not csrf_ok():
                raise ValueError("页面已过期，请重新提交")
            accounts.set_role(engine(), actor, name, request.form.get("role", ""),
                              request.form.get("region", "").strip() or None, settings().root_region)
            msg = f"已更新账号“{name}”的角色与区划"
        except (ValueError, accounts.Denied) as exc:
            msg, kind = str(exc), "danger"
    choices = [(k, roles.NAMES[k]) for k in (*roles.VIEWERS, *roles.ADMINS)]
    return page("角色与区划", ROLES, nav=True, who=_who(), msg=msg, kind=kind, rows=_rows(), choices=choices,
                csrf=csrf_token())


def _filters() -> tuple[dict, dict, str]:
    f = {k: request.args.get(k, "").strip() for k in ("account", "event", "start", "end")}
    kw, error = {"account": f["account"], "event": f["event"] if f["event"] in audit.EVENTS else ""}, ""
    try:
        if f["start"]:
            kw["start"] = datetime.fromisoformat(f["start"])
        if f["end"]:
            kw["end"] = datetime.fromisoformat(f["end"]) + timedelta(days=1)
    except ValueError:
        error = "日期格式应为 YYYY-MM-DD，已忽略日期条件"
        kw.pop("start", None), kw.pop("end", None)
    return f, kw, error


def audit_view():
    _, refused = _actor("audit")
    if refused:
        return refused
    f, kw, error = _filters()
    rows = audit.query(engine(), **kw)
    return page("审计日志", AUDIT, nav=True, who=_who(), f=f, rows=rows, error=error, names=audit.EVENTS,
                events=list(audit.EVENTS.items()), query=request.query_string.decode(),
                days=load_rules().retention_days)


def audit_download():
    _, refused = _actor("audit")
    if refused:
        return refused
    _, kw, _ = _filters()
    rows = audit.query(engine(), limit=100_000, **kw)
    audit.record("audit_download", f"{len(rows)} 条 {request.query_string.decode()}")
    return Response(audit.to_xlsx(rows), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=audit.xlsx"})
