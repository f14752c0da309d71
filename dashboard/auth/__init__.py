"""Accounts, roles, sign-in, audit log and the viewer's scope (issue 11)."""
