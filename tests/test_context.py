"""What a run shares between phases 3-6 is built once (a decision costs what it changes), and
never served stale once the artefact it was built from is read again."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import thematic.artefacts
import thematic.codes
from helpers import invoke
from thematic.context import Context


def test_memo_is_built_once_per_source_object() -> None:
    ctx = Context(project=None)  # type: ignore[arg-type]  # memo needs no project
    built: list[str] = []
    first, second = {"codes": []}, {"codes": []}
    build = lambda name: lambda: built.append(name) or name  # noqa: E731
    assert ctx.memo("counted", first, build("a")) == "a"
    assert ctx.memo("counted", first, build("b")) == "a"  # same source: served
    assert ctx.memo("counted", second, build("c")) == "c"  # an equal but re-read source: built again
    assert built == ["a", "c"]


def accept_one_suggestion(study: Path) -> None:
    path = study / "analysis" / "2-codes.yaml"
    text = path.read_text(encoding="utf-8")
    assert "decision: suggested" in text
    path.write_text(text.replace("decision: suggested", "decision: accepted", 1), encoding="utf-8")


def test_a_decision_re_run_counts_and_parses_the_codes_once(tiny_study: Path, monkeypatch) -> None:
    assert invoke("run", tiny_study).exit_code == 0
    accept_one_suggestion(tiny_study)
    counted: Counter = Counter()
    parsed: Counter = Counter()
    effective, load_yaml = thematic.codes.effective_codes, thematic.artefacts.load_yaml

    def counting_effective(data, draft=False):
        counted[id(data), draft] += 1
        return effective(data, draft)

    def counting_load(path, *args, **kwargs):
        parsed[Path(path).name] += 1
        return load_yaml(path, *args, **kwargs)

    monkeypatch.setattr(thematic.codes, "effective_codes", counting_effective)
    monkeypatch.setattr(thematic.artefacts, "load_yaml", counting_load)
    result = invoke("run", tiny_study)
    assert result.exit_code == 0, result.output
    assert "6-report.md" in (tiny_study / "thematic.lock").read_text(encoding="utf-8")
    assert counted and max(counted.values()) == 1  # phases 3-6 and the report's appendix share them
    assert parsed["2-codes.yaml"] <= 1  # phase 3 parses it; the report's checklist reads that parse's copy


def test_the_theme_phases_hold_no_pipeline_and_read_the_transcripts_from_the_store(tiny_study: Path,
                                                                                   monkeypatch) -> None:
    """Phases 3-6 need neither the pipeline nor the analyses (let go before phase 3); after a
    decision, phase 2 being fresh, they take the transcripts as its query index holds them."""
    import thematic.corpus
    import thematic.phases.themes as themes
    from thematic.project import load_project
    from thematic.runner import run_phases

    held: list[set[str]] = []
    run = themes.run
    monkeypatch.setattr(themes, "run", lambda ctx, params: held.append({"analyses", "pipeline"} & set(vars(ctx)))
                        or run(ctx, params))
    run_phases(load_project(tiny_study))
    read = thematic.corpus.read_document
    reads: list[str] = []
    monkeypatch.setattr(thematic.corpus, "read_document", lambda path, labels: reads.append(path.name) or read(path, labels))
    before = (tiny_study / "analysis" / "3-candidate-themes.yaml").read_bytes()
    accept_one_suggestion(tiny_study)
    ran = [r.spec.name for r in run_phases(load_project(tiny_study)) if r.action == "ran"]
    assert held == [set(), set()] and ran[0] == "themes"
    assert reads == []
    assert (tiny_study / "analysis" / "3-candidate-themes.yaml").read_bytes() != before  # it did re-run on them


def test_a_large_study_lets_go_of_the_lexicon_and_pipelines_before_phase_3(tiny_study: Path, monkeypatch) -> None:
    """Past HELD_CHARS of text, phases 3-6 run without the process's loaded pipelines and
    lexicon table (their peak memory is a large study's); a small study keeps them loaded."""
    import thematic.nlp.analysis
    import thematic.nlp.lexicon as lexicon
    import thematic.nlp.pipeline as pipeline
    import thematic.phases.themes as themes
    from thematic.project import load_project
    from thematic.runner import run_phases

    loaded: list[tuple[int, int]] = []
    run = themes.run
    monkeypatch.setattr(themes, "run", lambda ctx, params: loaded.append(
        (len(lexicon._loaded), pipeline._load.cache_info().currsize)) or run(ctx, params))
    run_phases(load_project(tiny_study))
    monkeypatch.setattr(thematic.nlp.analysis, "HELD_CHARS", 0)
    transcript = sorted((tiny_study / "interviews").iterdir())[0]
    transcript.write_text(transcript.read_text(encoding="utf-8") + "\nMentor: Enda en setning.\n", encoding="utf-8")
    run_phases(load_project(tiny_study))  # phases 1-2 load the pipeline again, then let it go
    assert loaded[0] != (0, 0) and loaded[1] == (0, 0)


def test_a_run_hashes_the_transcripts_once_the_reports_checklist_included(tiny_study: Path, monkeypatch) -> None:
    """The report's checklist reads the phases' states from the run's own lock, whose
    transcripts are hashed already."""
    import thematic.lock
    import thematic.view
    from thematic.project import load_project
    from thematic.runner import run_phases

    run_phases(load_project(tiny_study))
    accept_one_suggestion(tiny_study)
    hashed: Counter = Counter()
    files, one = thematic.lock._files, thematic.view.sha256_file
    monkeypatch.setattr(thematic.lock, "_files", lambda paths, project: hashed.update(p.name for p in paths)
                        or files(paths, project))
    monkeypatch.setattr(thematic.view, "sha256_file", lambda path: hashed.update([path.name]) or one(path))
    ran = [r.spec.name for r in run_phases(load_project(tiny_study)) if r.action == "ran"]
    assert ran[-1] == "report"
    assert hashed and set(hashed.values()) == {1}


def test_phases_3_to_6_read_from_the_store_only_the_codes_that_count(tiny_study: Path, monkeypatch) -> None:
    """The codebook's codes count (no draft here), so the suggestions nobody took up are never
    read from the extract store; one accepted is."""
    import yaml

    import thematic.extracts
    from thematic.project import load_project
    from thematic.runner import run_phases

    read: list[set[str]] = []
    real = thematic.extracts.read_store
    monkeypatch.setattr(thematic.extracts, "read_store", lambda path, digest, codes: (
        read.append(set(codes := list(codes))) or real(path, digest, codes)))
    run_phases(load_project(tiny_study))
    codes = yaml.safe_load((tiny_study / "analysis" / "2-codes.yaml").read_text(encoding="utf-8"))["codes"]
    suggested = {c["id"] for c in codes if c["decision"] == "suggested"}
    assert suggested and read[-1] and not read[-1] & suggested
    accept_one_suggestion(tiny_study)
    run_phases(load_project(tiny_study))
    accepted = {c["id"] for c in yaml.safe_load((tiny_study / "analysis" / "2-codes.yaml").read_text(encoding="utf-8"))["codes"]
                if c["decision"] == "accepted"}
    assert read[-1] & suggested == accepted


def test_the_reports_checklist_counts_words_in_the_runs_own_turns(tiny_study: Path, monkeypatch) -> None:
    """Its coverage point takes the run's transcripts (read from the query index once), not the
    index's turns made again."""
    import thematic.index
    from thematic.project import load_project
    from thematic.runner import run_phases

    run_phases(load_project(tiny_study))
    accept_one_suggestion(tiny_study)
    made: list[str] = []
    turns = thematic.index.Packed.turns
    monkeypatch.setattr(thematic.index.Packed, "turns", lambda self, text: made.append(text) or turns(self, text))
    assert [r.spec.name for r in run_phases(load_project(tiny_study)) if r.action == "ran"][-1] == "report"
    assert made and sorted(made) == sorted(set(made))  # each item's turns made once
