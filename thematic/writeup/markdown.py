"""The report as Markdown: 6-report.md, phase 6's artefact (the map as Mermaid text, which GitHub,
GitLab and many editors draw). Same Report, same bytes."""

from __future__ import annotations

from thematic.thematic_map import mermaid_map
from thematic.writeup.model import Appendix, Report, Table, Theme
from thematic.writeup.strings import Words, words


def markdown(report: Report) -> str:
    w = words(report.language)
    out = [f"# {report.title}", ""]
    out += [f"> **{report.draft}**", ""] if report.draft else []
    out += [f"## {w['method']}", ""] + _paragraphs(report.method)
    mermaid = mermaid_map(report.map.records(), report.map.labels).rstrip("\n")
    out += [f"## {w['map']}", "", "```mermaid", mermaid, "```", ""]
    for theme in report.themes:
        out += _theme(theme, w)
    out += [f"## {w['prevalence']} ({w['prevalence_note']})", ""] + table(report.prevalence) + [""]
    for appendix in report.appendices:
        out += _appendix(appendix)
    return "\n".join(out)


def _paragraphs(texts: list[str]) -> list[str]:
    return [line for text in texts if text for line in (text.rstrip(), "")]


def _theme(theme: Theme, w: Words) -> list[str]:
    lines = [f"## {theme.number}. {theme.title}", ""]
    if theme.changed:
        lines += [f"> **{w['note']}** {w.say('changed', parts=theme.changed)}", ""]
    if theme.definition:
        lines += [f"**{w['definition']}:** {theme.definition}", ""]
    else:
        lines += [f"*{w['draft_definition']}:* {theme.scaffold}", ""]
    if theme.concept:
        lines += [f"**{w['concept']}:** {theme.concept}", ""]
    if theme.subthemes:
        parts = "; ".join(f"{s.label} ({', '.join(s.codes)})" for s in theme.subthemes)
        lines += [f"**{w['subthemes']}:** {parts}", ""]
    lines += [f"{w['codes']}: {', '.join(theme.codes)}.", ""]  # plain, as phase 6 always wrote it
    lines += _paragraphs([theme.narrative]) if theme.narrative else [f"*{w['narrative_placeholder']}*", ""]
    lines += [f"### {w['extracts']}", ""]
    for quote in theme.quotes:
        lines += [f"> {w.quoted(quote.text)}", f"> — {quote.attribution}", ""]
    return lines + ([] if theme.quotes else [w["no_extracts"], ""])


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def table(data: Table) -> list[str]:
    """A pipe table; numeric columns right-aligned."""
    rows = ["| " + " | ".join(map(_cell, data.header)) + " |",
            "|" + "".join("---:|" if n else "---|" for n in data.numeric)]
    return rows + ["| " + " | ".join(map(_cell, row)) + " |" for row in data.rows]


def _appendix(appendix: Appendix) -> list[str]:
    lines = [f"## {appendix.title}", ""] + _paragraphs(appendix.paragraphs)
    if appendix.table is not None:
        lines += table(appendix.table) + [""]
    for entry in appendix.entries:
        lines += [f"### {entry.heading}", "", entry.text.rstrip(), ""]
    return lines
