"""What is true of the project, judged without scoring it: evidence on disk, automated checks, the RACI rules and
the cost projection.

Imports only core and load.
"""
