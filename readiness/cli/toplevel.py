"""`readiness`, `readiness --help` and `readiness --version`, answered without importing the command-line
library: its import alone takes longer than the whole answer may (typer and its click, 30-45 ms against a goal
of 60 ms for `--help`).

TOP_HELP is what typer renders for the app in a terminal of 80 columns or more (click caps its help at 78), and
tests/test_toplevel_help.py checks that it still is; narrower terminals get typer's own rendering, wrapped to
their width. The app itself stays the one definition of every command and option.
"""

from __future__ import annotations

# Rendered by typer from readiness/cli/app.py; a test fails when it differs, and prints the text to put here.
TOP_HELP = """\
Usage: readiness [OPTIONS] COMMAND [ARGS]...

  Tells a team whether its AI system is ready for production, and what stands
  in the way.

Options:
  --version   Print the version and exit.
  --debug     Show the traceback of an internal error.
  -h, --help  Show this message and exit.

Commands:
  demo        Write the report of a bundled example, for a first look.
  scan        Propose a first assessment from what the repository shows.
  init        Write a commented starter readiness.yaml.
  assess      Walk the checklists at a terminal, saving every answer.
  check       Score the assessment; the exit code is the verdict.
  report      Write the review document, as HTML or Markdown.
  validate    Check assessments and packs for errors; every error at once.
  cost        Print the cost projection, month by month.
  checklists  Browse the checklist packs and lint custom ones.
  diff        Show what got better or worse between two versions.
  history     Score, verdict and stage at each commit of the file.
  portfolio   Roll up many assessments into one view.
  schema      Print a JSON Schema: assessment, checklist or result.
"""
