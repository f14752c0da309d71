"""`vetdash user add|disable|enable|reset|role|list|token` — the operator at the server's shell (root of trust).

Every change is written to the audit log as done by 命令行.
"""
from __future__ import annotations

import argparse

from config.settings import Settings
from dashboard.auth import accounts, roles
from dashboard.auth.accounts import CONSOLE
from dashboard.auth.config import load_rules
from dashboard.state_db import state_engine
from queries import codes


def add_parser(sub) -> None:
    user = sub.add_parser("user", help="账号管理：add|disable|enable|reset|role|list|token")
    ops = user.add_subparsers(dest="op", required=True)
    add = ops.add_parser("add", help="新建账号（打印初始密码）")
    add.add_argument("name")
    add.add_argument("--role", required=True, help="领导|县局局长|工作人员|大屏显示|系统管理员|安全管理员|审计管理员")
    add.add_argument("--region", help="区划代码（县局局长为县级，如 431022；默认本系统根区划）")
    add.add_argument("--full-name", dest="full_name", default="")
    for op, text in (("disable", "停用账号"), ("enable", "启用账号"), ("reset", "重置密码（打印新密码，解除锁定）")):
        ops.add_parser(op, help=text).add_argument("name")
    role = ops.add_parser("role", help="修改角色与区划")
    role.add_argument("name")
    role.add_argument("--role", required=True)
    role.add_argument("--region")
    ops.add_parser("list", help="列出账号")
    token = ops.add_parser("token", help="大屏令牌：add NAME（打印大屏地址）| revoke NAME")
    token.add_argument("action", choices=["add", "revoke"])
    token.add_argument("name")
    user.set_defaults(func=run)


def deployment_root(settings: Settings) -> str:
    """VETDASH_ROOT, else the operational database's meta.root (as the pages use), else 4310 for the demo."""
    if settings.root_region:
        return settings.root_region
    try:
        from dashboard.context import make_context
        return make_context(settings).base_scope
    except Exception:  # noqa: BLE001 — no reachable database yet (first accounts before the first load)
        return "4310"


def run(args, settings: Settings | None = None) -> int:
    settings = settings or Settings.from_env()
    engine, rules = state_engine(settings.state_db_url), load_rules()
    root = deployment_root(settings)
    if args.op == "add":
        pw = accounts.add(engine, CONSOLE, rules, args.name, args.full_name, args.role, args.region, root)
        print(f"已新建账号 {args.name}（{roles.NAMES[roles.parse_role(args.role)]}）")
        if pw:
            print(f"初始密码：{pw}  （首次登录须修改）")
        else:
            print(f"大屏账号无密码，请执行：vetdash user token add {args.name}")
    elif args.op in ("disable", "enable"):
        accounts.set_active(engine, CONSOLE, args.name, args.op == "enable")
        print(f"已{'启用' if args.op == 'enable' else '停用'}账号 {args.name}")
    elif args.op == "reset":
        print(f"账号 {args.name} 的新密码：{accounts.reset_password(engine, CONSOLE, rules, args.name)}  （登录后须修改）")
    elif args.op == "role":
        accounts.set_role(engine, CONSOLE, args.name, args.role, args.region, root)
        print(f"已将账号 {args.name} 设为 {roles.NAMES[roles.parse_role(args.role)]}")
    elif args.op == "list":
        print(list_text(accounts.list_all(engine)))
    elif args.op == "token":
        if args.action == "add":
            token = accounts.add_token(engine, CONSOLE, args.name)
            print(f"大屏地址（只显示这一次，吊销前一直有效）：/screen?token={token}")
        else:
            print(f"已吊销 {args.name} 的 {accounts.revoke_tokens(engine, CONSOLE, args.name)} 个令牌")
    return 0


def list_text(rows: list[dict]) -> str:
    lines = [f"{'账号':<16}{'角色':<10}{'区划':<12}状态"]
    for a in rows:
        state = "停用" if not a["active"] else "正常"
        region = codes.short_code(a["region"]) if a["region"] else "-"
        lines.append(f"{a['name']:<16}{roles.NAMES.get(a['role'], a['role']):<10}{region:<12}{state}")
    return "\n".join(lines)


def demo_accounts(settings: Settings, county: str) -> list[tuple[str, str, str]]:
    """(name, role name, password or screen URL) for trying each role in `vetdash demo`; recreated each start."""
    from sqlalchemy import delete
    from dashboard.state_db import accounts as table, tokens
    engine, rules = state_engine(settings.state_db_url), load_rules()
    plan = [("demo-leader", roles.LEADER, None), ("demo-director", roles.DIRECTOR, county),
            ("demo-staff", roles.STAFF, county), ("demo-screen", roles.DISPLAY, None),
            ("demo-sysadmin", roles.SYSADMIN, None), ("demo-secadmin", roles.SECADMIN, None),
            ("demo-auditor", roles.AUDITOR, None)]
    with engine.begin() as conn:
        names = [p[0] for p in plan]
        conn.execute(delete(tokens).where(tokens.c.account.in_(names)))
        conn.execute(delete(table).where(table.c.name.in_(names)))
    out = []
    for name, role, region in plan:
        pw = accounts.add(engine, CONSOLE, rules, name, f"演示{roles.NAMES[role]}", role, region,
                          settings.root_region, must_change=False)
        if role == roles.DISPLAY:
            pw = "/screen?token=" + accounts.add_token(engine, CONSOLE, name)
        out.append((name, roles.NAMES[role], pw))
    return out


__all__ = ["add_parser", "run", "demo_accounts", "argparse"]
