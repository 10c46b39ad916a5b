"""Throughput of the NLP pass on a generated corpus, next to the bare spaCy tokenizer.

    python benchmarks/throughput.py [--words 1000000]

Prints one table: words/s of spacy.blank("nb")'s tokenizer (the limit), of our pipeline, of the
whole analysis step (pipeline + extracting tokens + writing the cache), the time of a cached
re-run, and the lexicon's peak memory measured in a fresh process.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate import generate  # noqa: E402

# VmHWM (peak RSS of this process image); ru_maxrss would carry the parent's peak over exec.
LEXICON_MEMORY = (
    "import re\n"
    "def peak(): return int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))\n"
    "before = peak()\n"
    "from thematic.nlp.lemmas import Lemmatiser; lemmatiser = Lemmatiser()\n"
    "print((peak() - before) / 1024)"
)


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    args = parser.parse_args()

    import spacy

    from thematic.corpus import read_corpus
    from thematic.nlp.analysis import analyse_corpus
    from thematic.nlp.pipeline import load_pipeline
    from thematic.project import load_project

    with tempfile.TemporaryDirectory() as tmp:
        study = Path(tmp)
        (study / "thematic.yaml").write_text("title: bench\n", encoding="utf-8")
        words = generate(study / "interviews", args.words)
        docs = read_corpus(load_project(study))
        texts = [d.text for d in docs]  # the unit analyse_corpus feeds spaCy: one doc per transcript
        bare = spacy.blank("nb")
        bare.max_length = 50_000_000
        t_tok, _ = timed(lambda: sum(len(d) for d in bare.tokenizer.pipe(texts)))
        t_load, pipeline = timed(lambda: load_pipeline("blank"))
        t_pipe, _ = timed(lambda: sum(len(d) for d in pipeline.nlp.pipe(texts)))
        fresh = load_pipeline("blank")
        cache = study / "cache"
        t_analysis, _ = timed(lambda: analyse_corpus(docs, fresh, cache))
        t_cached, _ = timed(lambda: analyse_corpus(docs, fresh, cache))
    lexicon_mb = float(subprocess.run([sys.executable, "-c", LEXICON_MEMORY], capture_output=True,
                                      text=True, check=True).stdout)
    rows = [
        ("spacy.blank('nb') tokenizer", f"{words / t_tok:,.0f}", "1.00"),
        ("our pipeline (markers, sentences, lemmas)", f"{words / t_pipe:,.0f}", f"{t_tok / t_pipe:.2f}"),
        ("whole analysis step, cold cache", f"{words / t_analysis:,.0f}", f"{t_tok / t_analysis:.2f}"),
    ]
    print(f"{words:,} words in {len(docs)} files (generated, seed 7)")
    print(f"{'pass':44} {'words/s':>10} {'x tokenizer':>12}")
    for name, rate, ratio in rows:
        print(f"{name:44} {rate:>10} {ratio:>12}")
    print(f"{'pipeline load (lexicon from cache)':44} {t_load:>9.2f}s")
    print(f"{'cached re-run of the analysis step':44} {t_cached:>9.2f}s")
    print(f"{'lexicon peak memory (fresh process)':44} {lexicon_mb:>8.0f}MB")
    print(f"{'this process peak RSS':44} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:>8.0f}MB")


if __name__ == "__main__":
    main()
