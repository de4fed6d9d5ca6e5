"""Statistics departments pull, rankings, and the exports of both.

- `sources`: what is counted (orders, demands, hearings, cases, tasks), by which dimensions, with
  which SQL aggregates.
- `durations`: the times of orders whose median and p90 are given, and the aggregate that sorts them.
- `percentiles`: those times read at their ranks from an index instead (every order, totals or months).
- `summary`: the exact summaries of orders a statistic reads instead of the orders, and their folding.
- `session`: the read-only snapshot transaction and planner settings every statistic runs with.
- `report`: the `statistics` entry point: figures grouped, filtered and totalled.
- `figures`: a group's figures as the aggregates give them, and the rates derived from them.
- `rankings`: the red and black lists (红黑榜) of providers, stations and towns.
- `ratings`: a provider's or station's own rating summary.
- `exports`: the CSV and XLSX exports of the figures and the order ledger.
"""
