"""Monthly employment snapshots -> the employment_status change log (one row per change, not per month).

    python -m queries.load.snapshots snapshots.csv employment_status.csv

Input columns (row 1): veteran_id, region_code, cohort_year, snapshot_month (YYYYMM), status, hardship.
A person's first snapshot and every snapshot whose status or hardship differs from that person's
previous one become a change, effective on the first day of the snapshot month. status_id =
veteran_id × 1000 + months since 2000-01, so re-running on more months gives the same ids to the
same changes (a load stays idempotent); it fits the 32-bit column while veteran_id < 2,147,483.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

from queries.load.specs import SPECS
from queries.load.templates import header_rows

FIELDS = ["veteran_id", "region_code", "cohort_year", "snapshot_month", "status", "hardship"]


def status_id(veteran_id: int, month: int) -> int:
    return veteran_id * 1000 + (month // 100 - 2000) * 12 + month % 100 - 1


def snapshots_to_changes(rows: list[dict]) -> list[dict]:
    """Snapshot dicts (FIELDS) -> employment_status template rows (the change log)."""
    out, last = [], {}
    for r in sorted(rows, key=lambda r: (int(r["veteran_id"]), int(r["snapshot_month"]))):
        vid, month = int(r["veteran_id"]), int(r["snapshot_month"])
        state = (r["status"], r["hardship"])
        if last.get(vid) == state:
            continue
        last[vid] = state
        out.append({"status_id": status_id(vid, month), "veteran_id": vid, "region_code": r["region_code"],
                    "cohort_year": r["cohort_year"], "effective_on": f"{month // 100:04d}-{month % 100:02d}-01",
                    "status": r["status"], "hardship": r["hardship"]})
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("用法: python -m queries.load.snapshots 快照.csv employment_status.csv", file=sys.stderr)
        return 2
    with Path(argv[0]).open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    missing = [f for f in FIELDS if rows and f not in rows[0]]
    if missing:
        print(f"快照文件缺少列: {', '.join(missing)}", file=sys.stderr)
        return 2
    changes = snapshots_to_changes(rows)
    spec = SPECS["employment_status"]
    with Path(argv[1]).open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerows(header_rows(spec)[:2])
        for c in changes:
            writer.writerow([c[col.name] for col in spec.columns])
    print(f"{len(rows)} 行快照 → {len(changes)} 条状态变更: {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
