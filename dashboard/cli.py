"""`vetdash` console script: demo, build-demo, serve, refresh."""
from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from config.settings import Settings, default_demo_path


def _build(args) -> int:
    from queries.demo.build import build_demo     # imported lazily: numpy-heavy
    as_of = _date(args.as_of)
    summary = build_demo(root=args.root, scale=args.scale, years=args.years, seed=args.seed,
                         as_of=as_of, url=args.url, out=None if args.url else (args.out or str(default_demo_path())),
                         progress=True)
    print(_summary_text(summary))
    return 0


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"日期“{text}”无效，应为 YYYY-MM-DD，如 2026-11-23") from None


def _summary_text(summary: dict) -> str:
    lines = ["演示数据库已生成："]
    for key, value in summary.items():
        lines.append(f"  {key}: {value}")
    return "\n".join(lines)


def _serve(host: str, port: int, workers: int, database_url: str | None = None) -> int:
    env = dict(os.environ)
    if database_url:
        env["VETDASH_DATABASE_URL"] = database_url
    env.setdefault("DASH_DISABLE_VERSION_CHECK", "true")
    cmd = [sys.executable, "-m", "gunicorn", "dashboard.wsgi:server", "-b", f"{host}:{port}",
           "-w", str(workers), "--no-control-socket", "--timeout", "120", "--preload"]
    print(f"驾驶舱已启动：http://{host}:{port}/  （Ctrl+C 停止）", flush=True)
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 0


def _demo(args) -> int:
    path = Path(args.out or default_demo_path())
    if not path.exists():
        print(f"未找到演示数据库，正在生成：{path}", flush=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        from queries.demo.build import build_demo
        build_demo(root=args.root, scale="city", years=5, seed=42, out=str(path), progress=True)
    return _serve(args.host, args.port, args.workers, f"sqlite:///{path}")


def _refresh(args) -> int:
    from queries.db import make_engine
    from queries.refresh import refresh, since_binds, whole_rollups
    settings = Settings.from_env()
    since = getattr(args, "since", None)
    try:
        since_binds(since)
    except ValueError as exc:
        print(exc)
        return 2
    timings = refresh(make_engine(settings.database_url), since=since)
    whole = set(whole_rollups()) if since else set(timings)
    for table, seconds in timings.items():
        note = "整表重建" if table in whole else f"仅重建 {since} 起各月"
        print(f"  {table}: {seconds:.1f} 秒（{note}）")
    if since:
        print(f"  整表重建合计 {sum(timings[t] for t in whole):.1f} 秒，按月增量合计 "
              f"{sum(s for t, s in timings.items() if t not in whole):.1f} 秒")
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="vetdash", description="退役军人事务领导驾驶舱")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="生成演示数据库(如缺失)并启动驾驶舱")
    demo.add_argument("--root", default="4310", help="根区划代码，默认 4310 郴州市")
    demo.add_argument("--out", help="演示数据库路径(默认在用户数据目录)")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8050)
    demo.add_argument("--workers", type=int, default=2)
    demo.set_defaults(func=_demo)

    build = sub.add_parser("build-demo", help="生成演示数据库")
    build.add_argument("--root", default="4310")
    build.add_argument("--scale", choices=["city", "province"], default="city")
    build.add_argument("--years", type=int, default=5)
    build.add_argument("--seed", type=int, default=42)
    build.add_argument("--as-of", dest="as_of", help="数据截至日期 YYYY-MM-DD(默认今天)")
    target = build.add_mutually_exclusive_group()
    target.add_argument("--out", help="SQLite 文件路径")
    target.add_argument("--url", help="SQLAlchemy 数据库 URL (PostgreSQL / MariaDB)")
    build.set_defaults(func=_build)

    serve = sub.add_parser("serve", help="按 VETDASH_DATABASE_URL 启动驾驶舱(gunicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8050)
    serve.add_argument("--workers", type=int, default=2)
    serve.set_defaults(func=lambda a: _serve(a.host, a.port, a.workers))

    refresh = sub.add_parser("refresh", help="由明细表重建汇总表")
    refresh.add_argument("--since", default=None, help="年-月，如 2026-11：按月汇总表只重建该月起的数据")
    refresh.set_defaults(func=_refresh)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, OSError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
