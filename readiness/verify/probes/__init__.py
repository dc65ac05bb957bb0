"""Probes: each reads evidence artifacts in one real, documented format and judges concrete properties, every
finding at the artifact's line and column. One module per artifact kind; `common` holds what they share.

A file name is never proof: a probe that finds no data of its format says "nothing", never "holds".
"""
