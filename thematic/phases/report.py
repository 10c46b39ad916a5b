"""Phase 6, the report: a Markdown scaffold with verified verbatim extracts and attribution.

Every quote is checked against its source first; a stale quote stops the report.
"""

from __future__ import annotations

from typing import Any

from thematic.context import Context
from thematic.corpus import participant_attributes
from thematic.extracts import verify_quote
from thematic.thematic_map import mermaid_map


def _attribution(ctx: Context, extract: dict) -> str:
    attrs = participant_attributes(ctx.participants, extract["item"], extract.get("speaker"))
    who = attrs.get("role") or extract.get("speaker") or "deltaker"
    speaker = f"{extract['speaker']}, " if extract.get("speaker") and extract["speaker"] != who else ""
    return f"{who}, {speaker}{extract['item']}, linje {extract.get('line', '?')}"


def _method(ctx: Context, themes: list[dict], codes_meta: dict) -> str:
    docs = ctx.docs
    words = sum(len(t.text.split()) for d in docs for t in d.informant_turns)
    participants = len({p for d in docs for p in d.participants})
    books = ", ".join(b["title"] for b in ctx.artefact("code").get("codebooks", [])) or "ingen kodebok"
    pipeline = codes_meta.get("pipeline", {})
    return (
        f"Materialet består av {len(docs)} intervjuer med {participants} deltakere "
        f"({words} ord fra deltakerne; intervjuerens tale er ikke kodet). Analysen fulgte Braun og "
        f"Clarkes seks faser med verktøyet thematic ({codes_meta.get('tool', '')}). Kodingen brukte "
        f"kodeboken «{books}», matchet på lemmaer med spaCy-pipelinen {pipeline.get('name', '?')} "
        f"({pipeline.get('version', '?')}). Kodene ble gruppert i {len(themes)} temaer, vurdert mot de "
        f"kodede utdragene og hele datasettet, og definert og navngitt av forskeren."
    )


def _theme_section(ctx: Context, n: int, theme: dict, source: str) -> list[str]:
    name = theme.get("name") or theme["proposed_name"]
    lines = [f"## {n}. {name}", ""] + _changed_note(theme)
    lines += [theme.get("definition") or f"*Definisjon (utkast):* {theme['scaffold']}", ""]
    if theme.get("central_organising_concept"):
        lines += [f"**Sentralt organiserende begrep:** {theme['central_organising_concept']}", ""]
    lines += [f"Koder: {', '.join(c['label'] for c in theme['codes'])}.", ""]
    lines += [theme.get("narrative") or "*Skriv den analytiske fortellingen her (feltet narrative: i 5-themes.yaml).*", ""]
    for extract in theme.get("extracts", []):
        verify_quote(ctx.docs_by_id.get(extract["item"]), extract, source)
        lines += [f"> «{extract['text']}»", f"> — {_attribution(ctx, extract)}", ""]
    return lines


def _changed_note(theme: dict) -> list[str]:
    """A warning where a theme's codes changed after the researcher named it (thematic.identity)."""
    changed = theme.get("changed_since_named")
    if not changed:
        return []
    parts = [f"+{len(changed['added'])} ({', '.join(changed['added'])})" if changed["added"] else "",
             f"-{len(changed['removed'])} ({', '.join(changed['removed'])})" if changed["removed"] else ""]
    return [f"> **Merk:** kodene i temaet har endret seg siden du navnga det: {' '.join(p for p in parts if p)} "
            "koder. Les navnet og teksten på nytt.", ""]


def _prevalence_table(themes: list[dict]) -> list[str]:
    rows = ["| Tema | Koder | Utdrag | Deltakere | Intervjuer |", "|---|---:|---:|---:|---:|"]
    for t in themes:
        p = t["prevalence"]
        rows.append(f"| {t.get('name') or t['proposed_name']} | {len(t['codes'])} | {p['extracts']} | {p['participants']} | {p['items']} |")
    return rows


def run(ctx: Context, params: dict) -> str:
    defined = ctx.artefact("define")
    themes = defined["themes"]
    source = str(ctx.project.analysis_dir / "5-themes.yaml")
    codes_meta = ctx.artefact("code")["meta"]
    map_themes = [{"id": t["id"], "label": t.get("name") or t["proposed_name"], "codes": [c["id"] for c in t["codes"]]}
                  for t in themes]
    labels = {c["id"]: c["label"] for t in themes for c in t["codes"]}
    out: list[Any] = [f"# {ctx.project.settings['title']}", "", "## Metode", "", _method(ctx, themes, codes_meta), ""]
    out += ["## Tematisk kart", "", "```mermaid", mermaid_map(map_themes, labels).rstrip("\n"), "```", ""]
    for n, theme in enumerate(themes, 1):
        out += _theme_section(ctx, n, theme, source)
    out += ["## Utbredelse (kun til informasjon; temaene er ikke rangert etter hyppighet)", ""]
    out += _prevalence_table(themes) + [""]
    return "\n".join(out)
