"""What every self-contained HTML page shares: the frame, the style and safe embedding of data.

Pages load nothing from the network when viewed: styles, scripts and data are all inline.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

STYLE = """
:root { --ink:#1f2933; --muted:#616e7c; --line:#d9e2ec; --bg:#f5f7fa; --red:#d62728; --orange:#e8590c; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif; color:var(--ink); }
header { padding:12px 20px; border-bottom:1px solid var(--line); background:#fff; }
header h1 { margin:0; font-size:18px; }
header p { margin:2px 0 0; color:var(--muted); }
main { padding:16px 20px; }
h2 { font-size:16px; margin:24px 0 8px; }
table { border-collapse:collapse; width:100%; }
th, td { text-align:left; padding:4px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:var(--bg); position:sticky; top:0; }
code, .mono { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:12.5px; }
.badge { display:inline-block; padding:0 6px; border-radius:8px; font-size:12px; background:var(--bg); }
.new { background:#ffe3e3; color:#a61e1e; } .baselined { background:#e7f5ff; color:#1c5d99; }
.fixed { background:#e6fcf5; color:#087f5b; } .kept { background:#e6fcf5; color:#087f5b; }
.broken { background:#ffe3e3; color:#a61e1e; }
.cards { display:flex; gap:12px; flex-wrap:wrap; }
.card { border:1px solid var(--line); border-radius:8px; padding:10px 16px; min-width:120px; }
.card b { display:block; font-size:22px; }
.muted { color:var(--muted); }
"""


def page(title: str, subtitle: str, body: str, script: str = "", data: Any = None) -> str:
    """A whole HTML document; ``data`` is embedded as JSON that the script reads."""
    embedded = ""
    if data is not None:
        # "</" would end the script element early; "<\\/" reads back as the same JSON string.
        text = json.dumps(data, separators=(",", ":"), sort_keys=True).replace("</", "<\\/")
        embedded = f'<script type="application/json" id="data">{text}</script>\n'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>\n"
        f"<body><header><h1>{escape(title)}</h1><p>{escape(subtitle)}</p></header>\n"
        f"{body}\n{embedded}"
        f"<script>{script}</script>\n</body></html>\n"
    )
