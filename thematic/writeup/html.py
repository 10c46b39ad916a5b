"""The report as one self-contained HTML file: inline CSS, the thematic map as inline SVG, no
script, no web font and no URL of any kind, so it reads the same offline, attached to an e-mail
or printed to PDF from a browser."""

from __future__ import annotations

from html import escape

from thematic.thematic_map import map_layout, svg_text
from thematic.writeup.model import Appendix, Report, Table, Theme
from thematic.writeup.strings import WORD_LANG, Words, words

CSS = """
:root { --ink: #1f2328; --muted: #5b6470; --rule: #d9dee4; --soft: #f6f7f9; --accent: #2f4b7c; }
* { box-sizing: border-box; }
body { margin: 0; background: #eef0f3; color: var(--ink);
  font: 17px/1.62 Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif; }
.page { max-width: 54rem; margin: 2rem auto; background: #fff; padding: 3.5rem 4.25rem 4rem;
  border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.08), 0 10px 30px rgba(0,0,0,.06); }
h1, h2, h3, nav, table, figcaption, dt, .kind, .meta, blockquote footer, .badge, .note, .lead {
  font-family: "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, sans-serif; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 1.4rem; margin-bottom: 2rem; }
.kind { text-transform: uppercase; letter-spacing: .14em; font-size: .78rem; color: var(--muted); margin: 0 0 .6rem; }
h1 { font-size: 2.05rem; line-height: 1.2; margin: 0 0 .7rem; }
.meta { color: var(--muted); font-size: .88rem; margin: 0; }
.draft { margin: 1.2rem 0 0; background: #fff6e6; border-left: 4px solid #e6a23c; padding: .8rem 1rem; border-radius: 4px; }
nav { background: var(--soft); border-radius: 6px; padding: 1rem 1.4rem; margin-bottom: 2.5rem; font-size: .92rem; }
nav h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .12em; color: var(--muted); border: 0; margin: 0 0 .5rem; padding: 0; }
nav ul { margin: 0; padding: 0; list-style: none; columns: 2; column-gap: 2.5rem; }
nav li { break-inside: avoid; margin: .15rem 0; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
h2 { font-size: 1.45rem; line-height: 1.3; margin: 3rem 0 1rem; padding-bottom: .35rem; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.02rem; margin: 1.8rem 0 .6rem; color: var(--muted); text-transform: uppercase; letter-spacing: .08em; }
section.theme h2 { border-bottom: 3px solid var(--c); }
.num { display: inline-block; width: 2.1rem; height: 2.1rem; line-height: 2.1rem; border-radius: 50%; background: var(--c);
  color: #fff; text-align: center; font-size: 1.05rem; margin-right: .6rem; vertical-align: .12rem; }
dl { display: grid; grid-template-columns: 12.5rem 1fr; gap: .55rem 1.2rem; background: var(--soft); border-radius: 6px;
  padding: 1rem 1.3rem; margin: 0 0 1.4rem; }
dt { font-size: .84rem; font-weight: 600; color: var(--muted); padding-top: .15rem; }
dd { margin: 0; }
dd.scaffold { color: var(--muted); font-style: italic; }
dd ul { margin: 0; padding-left: 1.1rem; }
.codes { font-size: .95rem; }
.placeholder { color: var(--muted); font-style: italic; border: 1px dashed var(--rule); border-radius: 6px; padding: .75rem 1rem; }
.note { background: #fdeeee; border-left: 4px solid #c9302c; padding: .7rem 1rem; border-radius: 4px; font-size: .92rem; }
blockquote { margin: 1.1rem 0 1.3rem; padding: .2rem 0 .2rem 1.3rem; border-left: 4px solid var(--c, var(--accent)); }
blockquote p { margin: 0; font-size: 1.06rem; }
blockquote footer { margin-top: .35rem; font-size: .84rem; color: var(--muted); }
.badge { display: inline-block; font-size: .72rem; background: var(--soft); border: 1px solid var(--rule); border-radius: 999px;
  padding: 0 .5rem; margin-left: .4rem; color: var(--muted); }
figure { margin: 0; }
figure svg { display: block; width: 100%; height: auto; border: 1px solid var(--rule); border-radius: 6px; }
figcaption { font-size: .84rem; color: var(--muted); margin-top: .5rem; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; line-height: 1.45; margin: .5rem 0 1rem; }
th, td { padding: .45rem .6rem; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.lead { color: var(--muted); font-size: .9rem; }
.entry h3 { text-transform: none; letter-spacing: 0; font-size: .95rem; margin-bottom: .3rem; }
.entry p { margin-top: 0; }
@media (max-width: 720px) { .page { margin: 0; padding: 1.5rem 1.2rem; border-radius: 0; } dl { grid-template-columns: 1fr; } nav ul { columns: 1; } }
@media print { body { background: #fff; font-size: 11pt; } .page { box-shadow: none; margin: 0; padding: 0; max-width: none; }
  section.theme, section.appendix { break-before: page; } blockquote, tr, figure, dl { break-inside: avoid; }
  a { color: inherit; } }
"""


def html(report: Report) -> str:
    """One self-contained page; same Report, same bytes."""
    w = words(report.language)
    body = [_header(report, w), _nav(report, w), _method(report, w), _map(report, w)]
    body += [_theme(theme, w) for theme in report.themes]
    body += [_prevalence(report, w)] + [_appendix(a) for a in report.appendices]
    return (f'<!DOCTYPE html>\n<html lang="{WORD_LANG[w.lang]}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="{escape(report.tool)}">\n<title>{escape(report.title)}</title>\n'
            f"<style>{CSS}</style>\n</head>\n<body>\n<div class=\"page\">\n" + "\n".join(body) + "\n</div>\n</body>\n</html>\n")


def _paragraphs(text: str, css: str = "") -> str:
    """Blank lines part paragraphs; a single line break stays one."""
    cls = f' class="{css}"' if css else ""
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "\n".join(f"<p{cls}>{escape(p).replace(chr(10), '<br>')}</p>" for p in parts)


def _header(report: Report, w: Words) -> str:
    draft = f'<p class="draft"><strong>{escape(report.draft)}</strong></p>' if report.draft else ""
    return (f'<header>\n<p class="kind">{escape(w["kind"])}</p>\n<h1>{escape(report.title)}</h1>\n'
            f'<p class="meta">{escape(report.tool)}</p>\n{draft}</header>')


def _anchors(report: Report, w: Words) -> list[tuple[str, str]]:
    """(id, heading) of every section, for the table of contents."""
    out = [("method", w["method"]), ("map", w["map"])]
    out += [(f"theme-{t.number}", f"{t.number}. {t.title}") for t in report.themes]
    out.append(("prevalence", w["prevalence"]))
    return out + [(f"appendix-{a.key}", a.title) for a in report.appendices]


def _nav(report: Report, w: Words) -> str:
    items = "\n".join(f'<li><a href="#{key}">{escape(title)}</a></li>' for key, title in _anchors(report, w))
    return f'<nav>\n<h2>{escape(w["contents"])}</h2>\n<ul>\n{items}\n</ul>\n</nav>'


def _method(report: Report, w: Words) -> str:
    return f'<section id="method">\n<h2>{escape(w["method"])}</h2>\n' + "\n".join(map(_paragraphs, report.method)) + "\n</section>"


def _map(report: Report, w: Words) -> str:
    count = lambda n: w.n(n, "code")  # noqa: E731
    layout = map_layout(w["map"], report.title, report.map.records(), report.map.labels, report.map.counts, count, titled=False)
    return (f'<section id="map">\n<h2>{escape(w["map"])}</h2>\n<figure>\n{svg_text(layout, standalone=False)}'
            f'<figcaption>{escape(w["map_caption"])}</figcaption>\n</figure>\n</section>')


def _facts(theme: Theme, w: Words) -> str:
    rows = [(w["definition"], escape(theme.definition), "")] if theme.definition else [
        (w["draft_definition"], escape(theme.scaffold), ' class="scaffold"')]
    if theme.concept:
        rows.append((w["concept"], escape(theme.concept), ""))
    if theme.subthemes:
        items = "".join(f"<li><strong>{escape(s.label)}</strong>: {escape(', '.join(s.codes))}</li>" for s in theme.subthemes)
        rows.append((w["subthemes"], f"<ul>{items}</ul>", ""))
    rows.append((w["codes"], escape(", ".join(theme.codes)), ' class="codes"'))
    return "<dl>\n" + "\n".join(f"<dt>{escape(k)}</dt><dd{cls}>{v}</dd>" for k, v, cls in rows) + "\n</dl>"


def _theme(theme: Theme, w: Words) -> str:
    head = (f'<section class="theme" id="theme-{theme.number}" style="--c: {theme.colour}">\n'
            f'<h2><span class="num">{theme.number}</span>{escape(theme.title)}</h2>')
    note = f'<p class="note"><strong>{escape(w["note"])}</strong> {escape(w.say("changed", parts=theme.changed))}</p>' if theme.changed else ""
    narrative = _paragraphs(theme.narrative) if theme.narrative else f'<p class="placeholder">{escape(w["narrative_placeholder"])}</p>'
    quotes = "\n".join(
        f'<blockquote><p>{escape(w.quoted(q.text))}</p><footer>— {escape(q.attribution)}'
        + (f'<span class="badge">{escape(w["chosen"])}</span>' if q.chosen else "") + "</footer></blockquote>"
        for q in theme.quotes) or f"<p>{escape(w['no_extracts'])}</p>"
    return "\n".join(p for p in (head, note, _facts(theme, w), narrative, f"<h3>{escape(w['extracts'])}</h3>", quotes, "</section>") if p)


def table(data: Table) -> str:
    def cell(tag: str, text: str, numeric: bool) -> str:
        css = ' class="n"' if numeric else ""
        return f"<{tag}{css}>{escape(text)}</{tag}>"

    head = "".join(cell("th", h, n) for h, n in zip(data.header, data.numeric))
    rows = "\n".join("<tr>" + "".join(cell("td", c, n) for c, n in zip(row, data.numeric)) + "</tr>" for row in data.rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>"


def _prevalence(report: Report, w: Words) -> str:
    return (f'<section id="prevalence">\n<h2>{escape(w["prevalence"])}</h2>\n'
            f'<p class="lead">{escape(w["prevalence_note"].capitalize())}.</p>\n{table(report.prevalence)}\n</section>')


def _appendix(appendix: Appendix) -> str:
    parts = [f'<section class="appendix" id="appendix-{appendix.key}">', f"<h2>{escape(appendix.title)}</h2>"]
    parts += [_paragraphs(p, "lead") for p in appendix.paragraphs]
    if appendix.table is not None:
        parts.append(table(appendix.table))
    parts += [f'<div class="entry">\n<h3>{escape(e.heading)}</h3>\n{_paragraphs(e.text)}\n</div>' for e in appendix.entries]
    return "\n".join(parts + ["</section>"])
