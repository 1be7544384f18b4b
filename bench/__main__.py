"""Run the benchmarks: `python -m bench [name ...]` (default: all)."""

from __future__ import annotations

import datetime
import sys

from . import certificates, dashboard, offline, operations, pages, scale, verify_load
from .results import table, write

SUITES = {
    "pages": pages.run,
    "scale": scale.run,
    "dashboard": dashboard.run,
    "operations": operations.run,
    "certificates": certificates.run,
    "verification": verify_load.run,
    "offline": offline.run,
}


def main(names: list[str]) -> int:
    started = datetime.datetime.now(datetime.UTC)
    unknown = sorted(set(names) - set(SUITES))
    if unknown:
        choices = ", ".join(SUITES)
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {choices}")
        return 2
    metrics = []
    for name in names or list(SUITES):
        print(f"== {name}", flush=True)
        metrics.extend(SUITES[name]())
    path = write(metrics, started)
    print(table(metrics))
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
