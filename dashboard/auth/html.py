"""Small server-rendered pages (sign-in, password change, administrators' pages) on the vendored Bootstrap CSS."""
from __future__ import annotations

from flask import render_template_string

BASE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · 领导驾驶舱</title><link rel="stylesheet" href="/assets/00-bootstrap.min.css">
<style>body{background:#f3f5f8;font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif}
.auth-card{max-width:420px;margin:8vh auto;padding:2rem;background:#fff;border-radius:.5rem;box-shadow:0 2px 12px rgba(0,0,0,.08)}
.admin{max-width:1200px;margin:2rem auto;background:#fff;padding:1.5rem;border-radius:.5rem}
table{font-size:.9rem}</style></head>
<body>{% if nav %}<nav class="navbar navbar-dark bg-primary px-3"><span class="navbar-brand">领导驾驶舱 · {{ title }}</span>
<span class="text-white">{{ who }} <a class="btn btn-sm btn-outline-light ms-2" href="/logout">退出</a></span></nav>{% endif %}
{{ body|safe }}</body></html>"""

LOGIN = """<div class="auth-card"><h4 class="mb-1">退役军人事务领导驾驶舱</h4><p class="text-muted mb-4">请登录</p>
{% if error %}<div class="alert alert-danger" role="alert">{{ error }}</div>{% endif %}
{% if notice %}<div class="alert alert-info" role="alert">{{ notice }}</div>{% endif %}
<form method="post" action="/login" autocomplete="off">
<input type="hidden" name="csrf" value="{{ csrf }}"><input type="hidden" name="next" value="{{ next }}">
<div class="mb-3"><label class="form-label" for="name">账号</label>
<input class="form-control" id="name" name="name" value="{{ name }}" required autofocus></div>
<div class="mb-3"><label class="form-label" for="password">密码</label>
<input class="form-control" id="password" name="password" type="password" required></div>
<button class="btn btn-primary w-100" type="submit">登录</button></form>
<p class="text-muted small mt-3 mb-0">连续输错密码将锁定账号；忘记密码请联系系统管理员。</p></div>"""

PASSWORD = """<div class="auth-card"><h4 class="mb-3">修改密码</h4>
{% if reason %}<div class="alert alert-warning">{{ reason }}</div>{% endif %}
{% if error %}<div class="alert alert-danger">{{ error }}</div>{% endif %}
<form method="post" action="/password"><input type="hidden" name="csrf" value="{{ csrf }}">
<div class="mb-3"><label class="form-label" for="old">原密码</label><input class="form-control" id="old" name="old" type="password" required></div>
<div class="mb-3"><label class="form-label" for="new">新密码</label><input class="form-control" id="new" name="new" type="password" required></div>
<div class="mb-3"><label class="form-label" for="again">再次输入新密码</label><input class="form-control" id="again" name="again" type="password" required></div>
<p class="text-muted small">{{ rule }}</p>
<button class="btn btn-primary w-100" type="submit">保存</button></form></div>"""

REFUSED = """<div class="auth-card"><h4 class="mb-3">无权访问</h4><div class="alert alert-warning">{{ message }}</div>
<a class="btn btn-outline-primary" href="{{ back }}">{{ back_label }}</a> <a class="btn btn-outline-secondary" href="/logout">退出登录</a></div>"""


def page(title: str, body: str, *, nav: bool = False, who: str = "", status: int = 200, **ctx):
    inner = render_template_string(body, **ctx)
    return render_template_string(BASE, title=title, body=inner, nav=nav, who=who), status
