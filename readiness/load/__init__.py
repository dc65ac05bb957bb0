"""Reading what a user or a pull request wrote, and nothing more: the YAML text and the reader that keeps every
value's line and column, diagnostics, our JSON Schemas, salvage of a half-valid file, where a file may be read
(containment), git blobs, control characters made visible, and the artifacts the build made.

The lowest layer: it imports no other. Layers, lowest first: load < core < verify < score < rollup < render < edit
< interactive < cli; a module imports only from its own layer and those below (tests/test_layering.py).
"""
