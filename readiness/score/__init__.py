"""The verdict: scoring, the engine (a file on disk becomes a Result) and `validate`.

Imports only verify, core and load.
"""
