"""Every output: the formats of `check` and `report`, the views of packs, cost, diff, history and portfolio, and
writing an output atomically.

Imports only rollup and the layers below it.
"""
