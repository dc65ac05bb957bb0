"""JSON as every JSON output of the tool is written: indented, non-ASCII text as it is, no control character raw.

json.dumps escapes C0 controls but writes DEL, the C1 controls (U+009B is a one-byte CSI to many terminals) and
the line and paragraph separators as they are; `cat`ed to a terminal or a CI log they would act. They are written
as `\\u` escapes here, which every JSON reader decodes to the same string.
"""

from __future__ import annotations

import json
import re
from typing import Any

_RAW = re.compile("[\x7f-\x9f\u2028\u2029]")


def dumps(data: Any) -> str:
    """`data` as indented JSON with a final line break."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if _RAW.search(text) is not None:  # such a character can only stand inside a string, where an escape means it
        text = _RAW.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
    return text + "\n"
