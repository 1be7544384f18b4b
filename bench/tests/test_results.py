import json

from bench import results
from bench.results import Metric


def test_budgets_are_checked_in_both_directions():
    assert Metric("rate", 41, "PDF/s", 40, "min").within_budget is True
    assert Metric("rate", 39, "PDF/s", 40, "min").within_budget is False
    assert Metric("size", 16, "KB", 15).within_budget is False
    assert Metric("size", 15, "KB", 15).within_budget is True
    assert Metric("size", 99, "KB").within_budget is None


def test_result_file_lists_metrics_a_machine_can_check(tmp_path, monkeypatch):
    import datetime

    monkeypatch.setattr(results, "RESULTS_DIR", tmp_path)
    started = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)
    path = results.write(
        [Metric("verification page", 6.1, "KB", 15), Metric("seed", 80, "s")],
        started,
    )
    data = json.loads(path.read_text())
    assert path.name == "20261125T120000Z.json"
    assert data["machine"]["cpus"] >= 1
    assert data["metrics"][0] == {
        "name": "verification page",
        "value": 6.1,
        "unit": "KB",
        "budget": 15,
        "within_budget": True,
        "budget_is": "max",
    }
    assert data["metrics"][1]["budget"] is None
    assert data["metrics"][1]["within_budget"] is None
    assert "NO" not in results.table([Metric("a", 1, "s", 2)])
    assert "NO" in results.table([Metric("a", 3, "s", 2)])
