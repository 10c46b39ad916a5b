"""Phase 6, the report: the write-up as data (thematic.writeup.model), written as 6-report.md.

Every quote is checked against its source first; a stale quote stops the report. The method
section counts what ran and what the researcher decided, and claims nothing more. The Report is
also kept as JSON beside the artefacts, so `thematic report --format html|docx` writes the very
same report without reading the corpus again.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from thematic.artefacts import load_yaml, sha256_bytes, write_atomic
from thematic.codes import EffectiveCode
from thematic.context import Context
from thematic.corpus import INFORMANT, INTERVIEWER, is_voice, participant_attributes
from thematic.errors import ProjectError
from thematic.extracts import counted, counted_as_written, quote, verify_quote
from thematic.jobs import beside
from thematic.measures import corpus_totals
from thematic.memos import Memo, read_memos
from thematic.nlp.language import detect
from thematic.thematic_map import MISC_IDS, theme_colour
from thematic.writeup.markdown import markdown
from thematic.writeup.method import Coding, DataSet, MethodFacts, ThemeWork, paragraphs
from thematic.writeup.model import (
    MODEL_FILE, Appendix, Entry, MapTheme, Quote, Report, Subtheme, Table, Theme, ThematicMap,
)
from thematic.writeup.passage import passage
from thematic.writeup.strings import CHOICES, Words, words


def run(ctx: Context, params: dict) -> str:
    report = build(ctx, params)
    text = markdown(report)
    write_atomic(ctx.project.machine_dir / MODEL_FILE, report.to_json(sha256_bytes(text.encode("utf-8"))))
    return text


def build(ctx: Context, params: dict) -> Report:
    """The report from the artefacts, the corpus and memos.yaml, in the report's language."""
    w = words(report_language(ctx, params))
    checklist_of = beside(lambda: checklist_appendix(ctx, w))  # the other core's, while the rest is built
    defined = ctx.artefact("define")
    source = ctx.source("define")
    memos = read_memos(ctx.project)
    themes = [_theme(ctx, w, n, theme, source) for n, theme in enumerate(defined["themes"], 1)]
    tool = _tool(ctx)
    facts = MethodFacts(ctx.project.settings["approach"], *tool, _data_set(ctx), _coding(ctx),
                        _theme_work(ctx, defined, themes), dict(Counter(m.about for m in memos)))
    appendices = [_codebook_appendix(ctx, w, defined), checklist_of(), _journal(w, memos)]
    return Report(w.lang, ctx.project.settings["title"], tool[0], defined.get("draft", ""), paragraphs(facts, w),
                  _map(ctx, defined["themes"]), themes, _prevalence(w, defined["themes"]),
                  [a for a in appendices if a is not None])


def report_language(ctx: Context, params: dict) -> str:
    """phases.report.language: nb, nn, en, or auto, the study's language; a study that is itself
    `auto` is reported in Nynorsk only when most transcripts are detected as Nynorsk."""
    chosen = params.get("language", "auto")
    if chosen not in CHOICES:
        loaded = load_yaml(ctx.project.root / "thematic.yaml")
        raise ProjectError(f"{loaded.path}:{loaded.line_of(['phases', 'report', 'language'])}: phases.report.language "
                           f"is {chosen!r}; allowed: {', '.join(CHOICES)}",
                           fix="write language: auto (the study's language), nb, nn or en")
    if chosen != "auto":
        return str(chosen)
    study = ctx.project.settings["language"]
    if study != "auto":
        return str(study)
    detected = Counter(detect(d.text) for d in ctx.docs)
    return "nn" if detected["nn"] > len(ctx.docs) / 2 else "nb"


def _tool(ctx: Context) -> tuple[str, str, str]:
    meta = ctx.artefact("code")["meta"]
    pipeline = meta.get("pipeline") or {}
    return str(meta.get("tool", "")), str(pipeline.get("name", "?")), str(pipeline.get("version", "?"))


def _theme(ctx: Context, w: Words, n: int, theme: dict, source: str) -> Theme:
    quotes = []
    chosen = set(theme.get("chosen_extracts") or [])
    for extract in _quoted(ctx, theme):
        doc = ctx.docs_by_id.get(extract["item"])
        verify_quote(doc, extract, source)
        quotes.append(_quote(ctx, w, doc, extract, extract["id"] in chosen))
    subthemes = [Subtheme(s["label"], [_label(theme, c) for c in s["codes"]]) for s in theme.get("subthemes") or []]
    return Theme(n, theme["id"], theme.get("name") or theme["proposed_name"], bool(theme.get("name")),
                 theme.get("definition", ""), theme.get("scaffold", ""), theme.get("central_organising_concept", ""),
                 subthemes, [c["label"] for c in theme["codes"]], theme.get("narrative", ""), quotes,
                 _changed(theme), theme_colour(n - 1, theme["id"]))


def _label(theme: dict, code: str) -> str:
    return next((c["label"] for c in theme["codes"] if c["id"] == code), code)


def _quote(ctx: Context, w: Words, doc: Any, extract: dict, chosen: bool) -> Quote:
    """The passage around a verified extract, and who said it: role, speaker, item, and the time
    in a timed transcript, else the line."""
    found = passage(doc, extract)
    speaker = extract.get("speaker")
    attrs = participant_attributes(ctx.participants, extract["item"], speaker)
    who = str(attrs.get("role") or speaker or w["participant"])
    named = f"{speaker}, " if speaker and speaker != who else ""
    where = found.turn.time if found.turn is not None and found.turn.time else f"{w['line']} {found.line}"
    return Quote(found.text, f"{who}, {named}{extract['item']}, {where}", extract["id"], chosen)


def _quoted(ctx: Context, theme: dict) -> list[dict]:
    """The researcher's chosen extracts, in their order, else phase 5's picks. A chosen extract
    phase 5 has not placed yet is found among the theme's codes' extracts; one that is gone is a
    warning (and the machine's picks stand in when none is left)."""
    chosen = list(theme.get("chosen_extracts") or [])
    shown = {e["id"]: e for e in theme.get("extracts", [])}
    if any(x not in shown for x in chosen):
        codes = {c["id"] for c in theme["codes"]}
        shown = {**{e["id"]: quote(e) for c in counted(ctx)[0] if c.id in codes for e in c.extracts}, **shown}
    ctx.warnings.extend(f"{ctx.source('define')}: {theme['id']}: chosen extract {x} is no longer among its codes' extracts"
                        for x in chosen if x not in shown)
    picked = [shown[x] for x in chosen if x in shown]
    return picked or list(theme.get("extracts", []))


def _changed(theme: dict) -> str:
    """"+1 (a) -2 (b, c)" where a theme's codes changed after the researcher named it (thematic.identity)."""
    changed = theme.get("changed_since_named")
    if not changed:
        return ""
    parts = [f"+{len(changed['added'])} ({', '.join(changed['added'])})" if changed["added"] else "",
             f"-{len(changed['removed'])} ({', '.join(changed['removed'])})" if changed["removed"] else ""]
    return " ".join(p for p in parts if p)


def _data_set(ctx: Context) -> DataSet:
    """Items, people by their role in participants.yaml, anonymous voices and words, from the corpus."""
    roles: dict[str, str] = {}
    spoken: Counter[str] = Counter()
    for doc in ctx.docs:
        for turn in doc.turns:
            spoken[turn.role] += turn.words
            if turn.role == INFORMANT and turn.participant and turn.participant not in roles and not is_voice(turn.participant):
                roles[turn.participant] = str(participant_attributes(ctx.participants, doc.id, turn.speaker).get("role") or "")
    totals = corpus_totals(ctx.docs)
    return DataSet(totals["items"], totals["participants"], totals.get("voices", 0), dict(Counter(roles.values())),
                   spoken[INFORMANT], spoken[INTERVIEWER])


def _coding(ctx: Context) -> Coding:
    """The machine's proposals and the researcher's decisions on them, as counts."""
    data = ctx.artefact("code")
    codes = data.get("codes", [])
    decisions = Counter(str(c.get("decision", "pending")).partition(":")[0] for c in codes)
    origins = Counter(c.get("origin") for c in codes)
    return Coding([b["title"] for b in data.get("codebooks", [])], origins["codebook"], origins["suggested"],
                  dict(decisions), origins["manual"], len(counted_as_written(ctx)))


def _theme_work(ctx: Context, defined: dict, themes: list[Theme]) -> ThemeWork:
    """Candidate themes (phase 3), the review's decisions (phase 4) and what the researcher wrote (phase 5)."""
    candidates = ctx.artefact("themes")["themes"]
    misc = sum(len(t["codes"]) for t in candidates if t["id"] in MISC_IDS)
    reviewed = ctx.artefact("review")
    review = Counter(str(t.get("decision", "pending")).partition(":")[0] for t in reviewed["themes"] if t["id"] not in MISC_IDS)
    final = defined["themes"]
    count = lambda key: sum(bool(t.get(key)) for t in final)  # noqa: E731
    return ThemeWork(sum(t["id"] not in MISC_IDS for t in candidates), misc, dict(review),
                     (reviewed.get("dataset") or {}).get("coverage"), len(final),
                     sum(t.get("review_decision") == "split" for t in final), count("name"), count("definition"),
                     count("central_organising_concept"), count("narrative"),
                     sum(any(q.chosen for q in t.quotes) for t in themes))


def _map(ctx: Context, final: list[dict]) -> ThematicMap:
    """The final themes as a map; a theme with the very codes of a candidate theme keeps phase 3's
    centrality (thicker links), others are drawn evenly."""
    central = {frozenset(t["codes"]): (t.get("evidence") or {}).get("centrality") or {} for t in ctx.artefact("themes")["themes"]}
    themes = [MapTheme(t["id"], t.get("name") or t["proposed_name"], [c["id"] for c in t["codes"]],
                       dict(central.get(frozenset(c["id"] for c in t["codes"]), {}))) for t in final]
    labels = {c["id"]: c["label"] for t in final for c in t["codes"]}
    counts = {c["id"]: int(c.get("extracts", 0)) for t in final for c in t["codes"]}
    return ThematicMap(themes, labels, counts)


def _prevalence(w: Words, final: list[dict]) -> Table:
    """Information only: themes are never ranked by how often they occur (Braun & Clarke)."""
    voices = any(t["prevalence"].get("voices") for t in final)
    theme, codes, extracts, people, voice, items = w.of("columns")
    header = [theme, codes, extracts, people, *([voice] if voices else []), items]
    rows = [[t.get("name") or t["proposed_name"], *map(w.num, [len(t["codes"]), t["prevalence"]["extracts"],
             t["prevalence"]["participants"], *([t["prevalence"].get("voices", 0)] if voices else []), t["prevalence"]["items"]])]
            for t in final]
    return Table(header, rows, [False] + [True] * (len(header) - 1))


def _codebook_appendix(ctx: Context, w: Words, defined: dict) -> Appendix:
    """The codes that count, after the researcher's renames and merges, with what defines them."""
    records = {c["id"]: c for c in ctx.artefact("code").get("codes", [])}
    where = {c["id"]: (t.get("name") or t["proposed_name"], c.get("extracts", 0)) for t in defined["themes"] for c in t["codes"]}
    misc = set(defined.get("miscellaneous") or [])
    order = {code: n for n, code in enumerate(where)}
    codes = sorted(counted_as_written(ctx), key=lambda c: (order.get(c.id, len(order)), c.label.casefold()))
    rows = []
    for code in codes:
        own = next((records[s] for s in code.sources if not str(records[s].get("decision", "")).startswith("merged:")),
                   records[code.sources[0]])
        theme, count = where.get(code.id, ("diverse" if code.id in misc else w["not_in_theme"], own.get("extracts_total", 0)))
        origin = w.of("origin").get(str(own.get("origin", "manual")), "")
        rows.append([f"{code.label} ({origin})", _defines(w, own, code, records), str(theme), w.num(int(count))])
    return Appendix("codebook", w["appendix_codebook"], [w["codebook_intro"]],
                    Table(list(w.of("codebook_columns")), rows, [False, False, False, True]))


def _defines(w: Words, own: dict, code: EffectiveCode, records: dict[str, dict]) -> str:
    """A code's definition, its keywords (or, for a suggestion, its forms in the data) and the
    codes merged into it."""
    parts = [str(own.get("definition") or "").strip()]
    if own.get("keywords"):
        parts.append(f"{w['keywords']}: {', '.join(map(str, own['keywords']))}.")
    elif (own.get("evidence") or {}).get("forms"):
        parts.append(f"{w['forms']}: {', '.join(map(str, own['evidence']['forms']))}.")
    merged = [records[s].get("label") or s for s in code.sources if str(records[s].get("decision", "")).startswith("merged:")]
    if merged:
        parts.append(f"{w['merged_from']}: {', '.join(merged)}.")
    return " ".join(p for p in parts if p)


def checklist_appendix(ctx: Context, w: Words) -> Appendix:
    """Braun & Clarke's 15-point checklist as `thematic check` answers it from the artefacts,
    so an examiner sees what the program could decide and what is the researcher's to judge."""
    from thematic.bc_check import JUDGE, PASS, checklist

    says = w.of("checklist")
    status = {PASS: says["pass"], JUDGE: says["judge"]}
    rows = [[str(p.number), p.stage_in(w.lang), p.criterion_in(w.lang), status.get(p.status, says["warn"]), p.evidence]
            for p in checklist(ctx.project, writing=("report",), run=ctx)]
    return Appendix("checklist", w["appendix_checklist"], [says["note"]], Table(says["header"].split("|"), rows, [True, False, False, False, False]))


def _journal(w: Words, memos: list[Memo]) -> Appendix | None:
    """The researcher's memos and reflexive journal (memos.yaml) in the file's order, as written;
    none when there are none. Always the last appendix."""
    if not memos:
        return None
    about = w.of("about")
    entries = [Entry(f"{m.date or w['undated']} · {about[m.about]}" + (f" {m.target}" if m.target else ""), m.text)
               for m in memos]
    return Appendix("journal", w["appendix_journal"], entries=entries)
