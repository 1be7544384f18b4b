"""Benchmarks: `make bench` runs them and writes bench/results/<time>.json.

Each result file holds the machine's details and a list ``metrics`` of
``{"name", "value", "unit", "budget", "within_budget"}`` so a run can be checked
by a machine. Figures come from real runs; nothing is cached between measured
runs that a real user would not have cached.
"""
