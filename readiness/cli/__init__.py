"""The command line: the typer app and its command groups, shared options, exit codes and the standard streams.

The top layer; it may import every other.
"""
