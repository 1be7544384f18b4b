"""Collecting figures and writing them with the machine they were measured on."""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass
class Metric:
    name: str
    value: float
    unit: str
    # (comparison, limit): "max" means value must be <= limit, "min" >= limit.
    budget: float | None = None
    budget_kind: str = "max"

    @property
    def within_budget(self) -> bool | None:
        if self.budget is None:
            return None
        if self.budget_kind == "min":
            return self.value >= self.budget
        return self.value <= self.budget

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("budget_kind")
        data["value"] = round(self.value, 3)
        data["within_budget"] = self.within_budget
        data["budget_is"] = None if self.budget is None else self.budget_kind
        return data


def machine() -> dict:
    def command(*args: str) -> str:
        try:
            return subprocess.run(  # noqa: S603 - fixed local commands
                list(args), capture_output=True, text=True, check=False
            ).stdout.strip()
        except OSError:
            return ""

    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "hostname": platform.node(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model,
        "git_commit": command("git", "rev-parse", "--short", "HEAD"),
        "database": os.environ.get("DATABASE_URL", "sqlite (default)").split("@")[-1],
    }


def write(metrics: list[Metric], started: datetime.datetime) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{started:%Y%m%dT%H%M%SZ}.json"
    payload = {
        "started_at": started.isoformat(),
        "finished_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "machine": machine(),
        "metrics": [metric.as_dict() for metric in metrics],
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    return path


def table(metrics: list[Metric]) -> str:
    rows = [("metric", "value", "unit", "budget", "ok")]
    for metric in metrics:
        budget = (
            ""
            if metric.budget is None
            else (f"{'≤' if metric.budget_kind == 'max' else '≥'} {metric.budget:g}")
        )
        ok = {True: "yes", False: "NO", None: ""}[metric.within_budget]
        rows.append((metric.name, f"{metric.value:.1f}", metric.unit, budget, ok))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    )
