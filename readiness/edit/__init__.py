"""Changes to readiness.yaml that keep what the user wrote: comment-preserving edits, the starter file of `init`, and
typed text checked before it is written.

Imports only render and the layers below it.
"""
