"""`vetdash` console script: demo, build-demo, serve, refresh, template, load."""
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


def _serve(host: str, port: int, workers: int, database_url: str | None = None, root: str | None = None) -> int:
    env = dict(os.environ)
    if database_url:
        env["VETDASH_DATABASE_URL"] = database_url
    if root:
        env["VETDASH_ROOT"] = root
    env.setdefault("DASH_DISABLE_VERSION_CHECK", "true")
    cmd = [sys.executable, "-m", "gunicorn", "dashboard.wsgi:server", "-b", f"{host}:{port}",
           "-w", str(workers), "--no-control-socket", "--timeout", "120", "--preload"]
    print(f"驾驶舱已启动：http://{host}:{port}/  （Ctrl+C 停止）", flush=True)
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 0


def demo_path(root: str, out: str | None = None) -> Path:
    """One demo file per root (4310 keeps the historical name), so --root 4306 never serves 郴州's file."""
    from queries.codes import short_code
    if out:
        return Path(out)
    short = short_code(root)
    default = default_demo_path()
    return default if short == "4310" else default.with_name(f"demo-{short}.sqlite")


def _demo(args) -> int:
    path = demo_path(args.root, args.out)
    if not path.exists():
        print(f"未找到演示数据库，正在生成：{path}", flush=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        from queries.demo.build import build_demo
        build_demo(root=args.root, scale="city", years=5, seed=42, out=str(path), progress=True)
    return _serve(args.host, args.port, args.workers, f"sqlite:///{path}", root=_meta_root(path) or args.root)


def _meta_root(path: Path) -> str | None:
    """The root the demo file was built for (its meta.root)."""
    import sqlite3
    from contextlib import closing
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        row = conn.execute("SELECT meta_value FROM meta WHERE meta_key = :k", {"k": "root"}).fetchone()
    return row[0] if row else None


def _refresh(_args) -> int:
    from queries.db import make_engine
    from queries.refresh import refresh
    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    timings = refresh(engine)
    for table, seconds in timings.items():
        print(f"  {table}: {seconds:.1f} 秒")
    _print_quality(engine)
    return 0


def _print_quality(engine) -> None:
    from queries.db import Database
    from queries.quality import summary_lines
    print("\n".join(summary_lines(Database(engine))))


def _template(args) -> int:
    from queries.load.templates import write_templates
    paths = write_templates(args.dir)
    print(f"已生成 {len(paths)} 个模板文件：{Path(args.dir).resolve()}")
    return 0


def _load(args) -> int:
    from queries.db import make_engine
    from queries.load.report import summary_text
    from queries.load.run import load_dir
    from sqlalchemy.exc import SQLAlchemyError
    url = args.url or Settings.from_env().database_url
    engine = make_engine(url)
    try:
        result = load_dir(engine, args.dir, as_of=_date(args.as_of), root=args.root,
                          rejects_dir=args.rejects, progress=True)
    except SQLAlchemyError as exc:          # nothing was written: the load is one transaction
        raise ValueError(f"数据库错误，本次导入未写入任何数据：{getattr(exc, 'orig', None) or exc}") from None
    print(summary_text(result))
    if result.refreshed:
        _print_quality(engine)
    return 1 if result.rejects else 0


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
    refresh.set_defaults(func=_refresh)

    template = sub.add_parser("template", help="生成各表的导入模板(.xlsx 与 .csv)")
    template.add_argument("dir", help="输出目录")
    template.set_defaults(func=_template)

    load = sub.add_parser("load", help="校验并导入模板文件, 不合格行写入 rejects 文件, 然后刷新汇总表")
    load.add_argument("dir", help="填好的模板文件所在目录")
    load.add_argument("--as-of", dest="as_of", help="数据截至日期 YYYY-MM-DD(默认: 各表最新日期中最早的一个)")
    load.add_argument("--url", help="数据库 URL(默认 VETDASH_DATABASE_URL)")
    load.add_argument("--root", help="根区划代码(默认: 已配置的, 或区划树中包含其余全部区划的最低一级)")
    load.add_argument("--rejects", help="拒收文件输出目录(默认: 导入目录)")
    load.set_defaults(func=_load)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, OSError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
