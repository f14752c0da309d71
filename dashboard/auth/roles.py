"""Roles (领导, 县局局长, 工作人员, 大屏, and the 三员) and what each may do.

Viewer roles see dashboard data within a region; the three administrators (等保 三员分立) each do one
kind of work and see no dashboard data. An account has exactly one role: an administrator who also needs
to read the dashboard uses a second, viewer account.
"""
from __future__ import annotations

from queries import codes

LEADER, DIRECTOR, STAFF, DISPLAY = "leader", "director", "staff", "display"
SYSADMIN, SECADMIN, AUDITOR = "sysadmin", "secadmin", "auditor"

NAMES = {LEADER: "领导", DIRECTOR: "县局局长", STAFF: "工作人员", DISPLAY: "大屏显示",
         SYSADMIN: "系统管理员", SECADMIN: "安全管理员", AUDITOR: "审计管理员", "": "未分配角色"}
BY_NAME = {v: k for k, v in NAMES.items() if k}
VIEWERS = (LEADER, DIRECTOR, STAFF, DISPLAY)
ADMINS = (SYSADMIN, SECADMIN, AUDITOR)

# permission -> roles holding it; nothing else grants it
PERMISSIONS = {
    "data": set(VIEWERS),          # dashboard pages, callbacks, exports — within the role's region
    "accounts": {SYSADMIN},        # create, disable, reset passwords, display tokens
    "roles": {SECADMIN},           # assign roles and regions
    "audit": {AUDITOR},            # read and download the audit log
}


def can(role: str, permission: str) -> bool:
    return role in PERMISSIONS.get(permission, set())


def parse_role(text: str) -> str:
    """'领导' or 'leader' -> 'leader'; Chinese error for anything else."""
    text = (text or "").strip()
    if text in NAMES and text:
        return text
    if text in BY_NAME:
        return BY_NAME[text]
    raise ValueError(f"未知角色“{text}”，可选：{'、'.join(NAMES[r] for r in (*VIEWERS, *ADMINS))}")


def check_region(role: str, region: str | None, root: str) -> str | None:
    """The 12-digit region an account of this role is bound to (validated), or None for administrators."""
    if role in ADMINS or role == "":
        return None
    full = codes.code12(region or root)
    if not codes.is_within(full, codes.code12(root)):
        raise ValueError(f"区划“{codes.short_code(full)}”不在本系统的区划（{codes.short_code(root)}）内")
    level = codes.level_of(full)
    if role == DIRECTOR and level != 3:
        raise ValueError("县局局长的区划须为县级（6位代码，如 431022）")
    if role == LEADER and level > 3:
        raise ValueError("领导的区划须为市或县级")
    return full
