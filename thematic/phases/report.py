"""Phase 6, the report: a Markdown scaffold with verified verbatim extracts and attribution.

Every quote is checked against its source first; a stale quote stops the report.
"""

from __future__ import annotations

from typing import Any

from thematic.context import Context
from thematic.corpus import participant_attributes
from thematic.codes import counted_codes
from thematic.extracts import coded, quote, verify_quote
from thematic.memos import read_memos
from thematic.measures import corpus_totals
from thematic.thematic_map import mermaid_map


def _attribution(ctx: Context, extract: dict) -> str:
    attrs = participant_attributes(ctx.participants, extract["item"], extract.get("speaker"))
    who = attrs.get("role") or extract.get("speaker") or "deltaker"
    speaker = f"{extract['speaker']}, " if extract.get("speaker") and extract["speaker"] != who else ""
    return f"{who}, {speaker}{extract['item']}, linje {extract.get('line', '?')}"


def _method(ctx: Context, themes: list[dict], codes_meta: dict) -> str:
    """What ran and what the researcher decided, counted from the artefacts: nothing claimed
    that did not happen."""
    docs = ctx.docs
    words = sum(len(t.text.split()) for d in docs for t in d.informant_turns)
    totals = corpus_totals(docs)
    books = ", ".join(b["title"] for b in ctx.artefact("code").get("codebooks", []))
    pipeline = codes_meta.get("pipeline", {})
    coding = f"Kodingen brukte kodeboken «{books}», matchet på lemmaer." if books else "Ingen kodebok ble brukt."
    return (
        f"Materialet består av {len(docs)} intervjuer med {_who(totals)} "
        f"({words} ord fra deltakerne; intervjuerens tale er ikke kodet). Analysen fulgte Braun og "
        f"Clarkes seks faser med verktøyet thematic ({codes_meta.get('tool', '')}). {coding} Lemmaer og "
        f"ordklasser kom fra spaCy-pipelinen {pipeline.get('name', '?')} ({pipeline.get('version', '?')}). "
        f"{_decisions(ctx.artefact('code').get('codes', []))} Kodene ble gruppert i {len(themes)} temaer "
        f"og vurdert mot de kodede utdragene og hele datasettet. {_naming(themes)}"
    )


def _who(totals: dict) -> str:
    """The participants, and the anonymous voices where people cannot be told apart."""
    voices = f" og {totals['voices']} anonyme ytringer der personene ikke kan skilles" if totals.get("voices") else ""
    return f"{totals['participants']} deltakere{voices}"


def _decisions(codes: list[dict]) -> str:
    """The machine's proposals and the researcher's decisions on them, as counts."""
    decisions = [str(c.get("decision", "pending")).partition(":")[0] for c in codes]
    count = decisions.count
    suggested = sum(c.get("origin") == "suggested" for c in codes)
    manual = sum(c.get("origin") == "manual" for c in codes)
    return (f"Maskinen foreslo {suggested} koder ut over kodeboken; forskeren godtok {count('accepted')}, "
            f"avviste {count('rejected')}, ga nytt navn til {count('renamed')} og slo sammen {count('merged')}, "
            f"og la til {manual} koder selv.")


def _naming(themes: list[dict]) -> str:
    named = sum(bool(t.get("name")) for t in themes)
    if not named:
        return "Ingen av temaene er navngitt av forskeren ennå; navnene er maskinens forslag."
    return f"{named} av {len(themes)} temaer er navngitt og definert av forskeren."


def _theme_section(ctx: Context, n: int, theme: dict, source: str) -> list[str]:
    name = theme.get("name") or theme["proposed_name"]
    lines = [f"## {n}. {name}", ""] + _changed_note(theme)
    lines += [theme.get("definition") or f"*Definisjon (utkast):* {theme['scaffold']}", ""]
    if theme.get("central_organising_concept"):
        lines += [f"**Sentralt organiserende begrep:** {theme['central_organising_concept']}", ""]
    lines += [f"Koder: {', '.join(c['label'] for c in theme['codes'])}.", ""]
    lines += [theme.get("narrative") or "*Skriv den analytiske fortellingen her (feltet narrative: i 5-themes.yaml).*", ""]
    for extract in _quoted(ctx, theme):
        verify_quote(ctx.docs_by_id.get(extract["item"]), extract, source)
        lines += [f"> «{extract['text']}»", f"> — {_attribution(ctx, extract)}", ""]
    return lines


def _quoted(ctx: Context, theme: dict) -> list[dict]:
    """The researcher's chosen extracts first, then phase 5's picks. A chosen extract phase 5 has
    not placed yet is found among the theme's codes' extracts; one that is gone is a warning."""
    chosen = list(theme.get("chosen_extracts") or [])
    shown = {e["id"]: e for e in theme.get("extracts", [])}
    if any(x not in shown for x in chosen):
        codes = {c["id"] for c in theme["codes"]}
        shown = {**{e["id"]: quote(e) for c in counted_codes(coded(ctx))[0] if c.id in codes for e in c.extracts}, **shown}
    ctx.warnings.extend(f"{ctx.source('define')}: {theme['id']}: chosen extract {x} is no longer among its codes' extracts"
                        for x in chosen if x not in shown)
    return [shown[x] for x in chosen if x in shown] + [e for e in theme.get("extracts", []) if e["id"] not in chosen]


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
    voices = any(t["prevalence"].get("voices") for t in themes)
    rows = ["| Tema | Koder | Utdrag | Deltakere |" + (" Anonyme ytringer |" if voices else "") + " Intervjuer |",
            "|---|---:|---:|---:|---:|" + ("---:|" if voices else "")]
    for t in themes:
        p = t["prevalence"]
        cells = [len(t["codes"]), p["extracts"], p["participants"], *([p.get("voices", 0)] if voices else []), p["items"]]
        rows.append(f"| {t.get('name') or t['proposed_name']} | " + " | ".join(map(str, cells)) + " |")
    return rows


def run(ctx: Context, params: dict) -> str:
    defined = ctx.artefact("define")
    themes = defined["themes"]
    source = str(ctx.project.analysis_dir / "5-themes.yaml")
    codes_meta = ctx.artefact("code")["meta"]
    map_themes = [{"id": t["id"], "label": t.get("name") or t["proposed_name"], "codes": [c["id"] for c in t["codes"]]}
                  for t in themes]
    labels = {c["id"]: c["label"] for t in themes for c in t["codes"]}
    out: list[Any] = [f"# {ctx.project.settings['title']}", ""]
    out += [f"> **{defined['draft']}**", ""] if defined.get("draft") else []
    out += ["## Metode", "", _method(ctx, themes, codes_meta), ""]
    out += ["## Tematisk kart", "", "```mermaid", mermaid_map(map_themes, labels).rstrip("\n"), "```", ""]
    for n, theme in enumerate(themes, 1):
        out += _theme_section(ctx, n, theme, source)
    out += ["## Utbredelse (kun til informasjon; temaene er ikke rangert etter hyppighet)", ""]
    out += _prevalence_table(themes) + [""]
    out += _journal(ctx)
    return "\n".join(out)


_ABOUT = {"study": "studien", "item": "intervju", "code": "kode", "theme": "tema"}


def _journal(ctx: Context) -> list[str]:
    """The appendix: the researcher's memos and reflexive journal (memos.yaml) in the file's
    order, as written; none when there are none. Same file, same report."""
    memos = read_memos(ctx.project)
    if not memos:
        return []
    lines = ["## Vedlegg: memoer og refleksiv logg", ""]
    for memo in memos:
        about = _ABOUT[memo.about] + (f" {memo.target}" if memo.target else "")
        lines += [f"### {memo.date or 'udatert'} · {about}", "", memo.text.rstrip(), ""]
    return lines
