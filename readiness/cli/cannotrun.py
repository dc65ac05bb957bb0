"""The one failure every part of the command line may raise without importing the rest of the exit-code contract
(readiness/cli/errors.py), which the instant answers of readiness/cli/entry.py do without."""

from __future__ import annotations


class CannotRun(Exception):
    """The environment, not the input, stops the run: the message says what happened and what to do."""
