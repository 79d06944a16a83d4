"""The stylesheet of the HTML reports, every rule scoped to `.coach-report`.

Scoping lets a report fragment sit in a Jupyter notebook or a host page without restyling it.
The font stack reaches the usual Chinese system fonts on macOS, Linux and Windows; colours keep
body text at a contrast of at least 7:1 on white; print rules keep colours and avoid splitting
a chart or table row across pages.
"""

from __future__ import annotations

FONTS = (
    'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", '
    '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif'
)
_BORDER = "1px solid #d0d7de"

# (selectors relative to the report root, "" being the root itself; declarations)
_RULES: list[tuple[str, str]] = [
    (
        "",
        f"font-family:{FONTS};color:#1f2328;background:#fff;line-height:1.6;font-size:15px;"
        "max-width:860px;margin:0 auto;padding:20px 24px;overflow-wrap:anywhere",
    ),
    ("h1", "font-size:24px;margin:0 0 4px"),
    ("h2", f"font-size:19px;margin:26px 0 8px;padding-bottom:4px;border-bottom:{_BORDER}"),
    ("h3", "font-size:16px;margin:18px 0 6px"),
    ("h4", "font-size:15px;margin:12px 0 4px"),
    ("h5", "font-size:14px;margin:10px 0 4px"),
    (".muted", "color:#57606a;font-size:13px"),
    (".score", "font-size:30px;font-weight:700;margin:4px 0"),
    (".score small", "font-size:18px;color:#57606a;font-weight:400"),
    (
        ".badge",
        f"display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;border:{_BORDER};"
        "margin-right:6px;background:#f6f8fa",
    ),
    (".badge.fallback, .badge.unscored", "background:#fff8c5;border-color:#bf8700"),
    (
        ".alert",
        "border:2px solid #bf8700;background:#fff8c5;border-radius:6px;padding:8px 12px;"
        "margin:10px 0",
    ),
    (
        ".block",
        "white-space:pre-wrap;background:#f6f8fa;border-left:4px solid #d0d7de;"
        "padding:8px 12px;border-radius:4px;margin:4px 0",
    ),
    ("mark.good", "background:#dafbe1;color:inherit"),
    ("mark.bad", "background:#ffebe9;color:inherit;text-decoration:underline wavy #cf222e"),
    (
        ".crit",
        f"border:{_BORDER};border-radius:6px;padding:4px 12px;margin:8px 0;break-inside:avoid",
    ),
    (".crit > :first-child", "display:flex;justify-content:space-between;gap:12px"),
    (".crit p", "margin:4px 0"),
    ("ul, ol", "padding-left:22px;margin:4px 0"),
    ("li", "margin:3px 0"),
    ("q", 'quotes:"「" "」"'),
    ("q:lang(en)", 'quotes:"“" "”"'),
    (
        ".chip",
        "display:inline-block;padding:0 6px;margin:1px 3px;border-radius:4px;font-size:12px;"
        "font-family:ui-monospace,monospace",
    ),
    (".chip.hit", "background:#dafbe1"),
    (".chip.miss", "background:#ffebe9"),
    (".flag", "padding:4px 10px;margin:4px 0;border-radius:4px;list-style:none"),
    (".flag.warn", "background:#fff1e5;border-left:4px solid #bc4c00"),
    (".flag.info", "background:#f6f8fa;border-left:4px solid #8c959f"),
    (".flags", "padding-left:0"),
    (".deduct", "color:#a40e26;font-weight:600"),
    ("table", "border-collapse:collapse;width:100%;margin:6px 0;font-size:14px"),
    ("th, td", f"border:{_BORDER};padding:4px 8px;text-align:left;vertical-align:top"),
    ("th", "background:#f6f8fa;white-space:nowrap"),
    ("td.num", "text-align:right;white-space:nowrap"),
    ("table.kv", "width:auto;min-width:40%"),
    ("svg.chart", "max-width:100%;height:auto;display:block;margin:6px 0"),
    (".turn", "border-top:3px solid #0969da;margin-top:32px"),
    (".followup", "border-left:4px solid #0969da;padding:2px 0 2px 14px;margin:18px 0"),
]
_PRINT: list[tuple[str, str]] = [
    ("", "max-width:none;padding:0;font-size:11pt"),
    ("*", "-webkit-print-color-adjust:exact;print-color-adjust:exact"),
    ("tr, svg, .flag, .block", "break-inside:avoid"),
    (".turn", "break-before:page"),
]


def _scoped(rules: list[tuple[str, str]]) -> str:
    lines = []
    for selectors, declarations in rules:
        scoped = ", ".join(
            f".coach-report {s.strip()}" if s else ".coach-report" for s in selectors.split(",")
        )
        lines.append(f"{scoped}{{{declarations}}}")
    return "\n".join(lines)


CSS = f"\n{_scoped(_RULES)}\n@media print{{\n{_scoped(_PRINT)}\n}}\n"
