"""The inspector's report's look: inline CSS for screen and print, with the charts' colours.

Inline because the report makes no external request (no stylesheet or font to fetch).
"""

from __future__ import annotations

from bot.reports.chart import MARKER_COLOUR, PALETTE

CSS = """
:root { --ink: #1b1b1b; --muted: #555; --rule: #d0d0d0; --accent: #1f5f8b; --soft: #f3f6f8; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif;
  color: var(--ink); line-height: 1.45; margin: 0; background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
p, li { max-width: 48rem; }
.meta { color: var(--muted); margin: .1rem 0; }
.lead { font-size: 1.1rem; }
.note { color: var(--muted); font-size: .92rem; }
.key { background: var(--soft); border-left: 4px solid var(--accent); padding: .6rem 1rem; margin: .8rem 0; }
.key ul { margin: .3rem 0; padding-inline-start: 1.2rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .93rem; table-layout: fixed; }
th.num:nth-child(2) { width: 9.5rem; }
th.num:nth-child(3) { width: 5.5rem; }
th:nth-child(4) { width: 24%; }
table.sources th.num { width: auto; }
caption { text-align: start; font-weight: 600; padding: .3rem 0; }
th, td { text-align: start; padding: .28rem .5rem; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: end; white-space: nowrap; font-variant-numeric: tabular-nums; }
td { overflow-wrap: anywhere; }
.bar span { display: block; height: .8rem; background: var(--count); border-radius: 2px; }
.bar.poor span, .swatch.poor { background: var(--poor); }
.bar.good span, .swatch.good { background: var(--good); }
.swatch { display: inline-block; width: 1.6rem; height: .8rem; background: var(--count); border-radius: 2px;
  vertical-align: middle; margin-inline-end: .4rem; }
.legend { border: 1px solid var(--rule); border-radius: 6px; padding: .2rem 1rem; margin: .8rem 0; font-size: .9rem; }
.legend ul { list-style: none; padding: 0; margin: .3rem 0; }
.legend .sup { margin-inline-end: .3rem; }
.sup { color: var(--muted); font-style: italic; }
tr.group td { font-weight: 600; background: #fafafa; }
tr.rest td:first-child { color: var(--muted); font-size: .88rem; }
.chart { width: 100%; height: auto; max-width: 52rem; display: block; margin: .5rem 0 1rem; }
.criterion { border: 1px solid var(--rule); border-radius: 6px; padding: .2rem 1rem .6rem; margin: 1rem 0; }
.criterion h3 { margin-top: .8rem; }
.tag { display: inline-block; font-size: .8rem; color: var(--muted); border: 1px solid var(--rule);
  border-radius: 3px; padding: 0 .3rem; margin-inline-end: .25rem; }
figure.quote { margin: .6rem 0; padding: .5rem .9rem; border-inline-start: 4px solid var(--rule); background: #fcfcfc; }
figure.quote blockquote { margin: 0; font-size: 1rem; }
figure.quote figcaption { font-size: .82rem; color: var(--muted); margin-top: .2rem; }
blockquote[dir="rtl"] { font-size: 1.08rem; line-height: 1.9; }
:lang(ar), :lang(fa), :lang(ps) { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Segoe UI", Tahoma, "Geeza Pro", serif; }
:lang(ur) { font-family: "Noto Nastaliq Urdu", "Jameel Noori Nastaleeq", "Urdu Typesetting", "Noto Naskh Arabic", serif; }
:lang(bn) { font-family: "Noto Sans Bengali", "Vrinda", "Kohinoor Bangla", sans-serif; }
:lang(pa) { font-family: "Noto Sans Gurmukhi", "Raavi", sans-serif; }
:lang(gu) { font-family: "Noto Sans Gujarati", "Shruti", sans-serif; }
:lang(zh) { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, figure, .criterion, svg { break-inside: avoid; page-break-inside: avoid; }
  .bar span { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"""

#: The chart colours, so a colour means the same in a table as in a chart.
CSS += (":root { " + " ".join(f"--{name}: {colour};" for name, colour in PALETTE.items())
        + f" --marker: {MARKER_COLOUR}; }}\n")
