"""Throughput of the NLP pass on a generated corpus, next to the bare spaCy tokenizer.

    python benchmarks/throughput.py [--words 1000000]

Prints one table: words/s of spacy.blank("nb")'s tokenizer (the limit), of the same tokenizer in
our pipeline (whose vocabulary computes only the word attributes we read), of our pipeline
(tokenizer + annotator), of the whole analysis step (pipeline + extracting tokens + writing the
cache), the time of a cached re-run, and the lexicon's peak memory measured in a fresh process.
"""

from __future__ import annotations

import argparse
import resource
import statistics
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
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    import spacy

    from thematic.corpus import read_corpus
    from thematic.nlp.analysis import analyse_corpus
    from thematic.nlp.pipeline import _load
    from thematic.project import load_project

    with tempfile.TemporaryDirectory() as tmp:
        study = Path(tmp)
        (study / "thematic.yaml").write_text("title: bench\n", encoding="utf-8")
        words = generate(study / "interviews", args.words)
        docs = read_corpus(load_project(study))
        texts = [d.text for d in docs]  # the unit analyse_corpus feeds spaCy: one doc per transcript
        def tokenizer_pass() -> float:
            bare = spacy.blank("nb")  # a new vocab each time: cold, like the pipeline below
            bare.max_length = 50_000_000
            return timed(lambda: sum(len(d) for d in bare.tokenizer.pipe(texts)))[0]

        def our_tokenizer_pass() -> float:
            pipeline = fresh_pipeline("blank")
            return timed(lambda: sum(len(d) for d in pipeline.nlp.tokenizer.pipe(texts)))[0]

        def pipeline_pass() -> float:
            pipeline = fresh_pipeline("blank")
            return timed(lambda: sum(len(d) for d in pipeline.nlp.pipe(texts)))[0]

        def analysis_pass() -> float:
            return timed(lambda: analyse_corpus(docs, fresh_pipeline("blank"), study / f"cache-{time.time_ns()}"))[0]

        fresh_pipeline = lambda model: _load.__wrapped__(model, "nb")  # noqa: E731  (bypass the per-process cache: cold, like a new run)
        t_load = timed(lambda: fresh_pipeline("blank"))[0]
        # interleaved and repeated: the machine is noisy, so each figure is the median of three
        runs = [(tokenizer_pass(), our_tokenizer_pass(), pipeline_pass(), analysis_pass()) for _ in range(args.repeats)]
        t_tok, t_ours, t_pipe, t_analysis = (statistics.median(r[i] for r in runs) for i in range(4))
        cache = study / "cache-warm"
        analyse_corpus(docs, fresh_pipeline("blank"), cache)
        t_cached, _ = timed(lambda: analyse_corpus(docs, fresh_pipeline("blank"), cache))
    lexicon_mb = float(subprocess.run([sys.executable, "-c", LEXICON_MEMORY], capture_output=True,
                                      text=True, check=True).stdout)
    rows = [
        ("spacy.blank('nb') tokenizer", f"{words / t_tok:,.0f}", "1.00"),
        ("tokenizer in our pipeline (lean vocabulary)", f"{words / t_ours:,.0f}", f"{t_tok / t_ours:.2f}"),
        ("our pipeline (markers, sentences, lemmas)", f"{words / t_pipe:,.0f}", f"{t_tok / t_pipe:.2f}"),
        ("whole analysis step, cold cache", f"{words / t_analysis:,.0f}", f"{t_tok / t_analysis:.2f}"),
    ]
    print(f"{words:,} words in {len(docs)} files (generated, seed 7); medians of {args.repeats} cold runs")
    print(f"{'pass':44} {'words/s':>10} {'x tokenizer':>12}")
    for name, rate, ratio in rows:
        print(f"{name:44} {rate:>10} {ratio:>12}")
    print(f"{'pipeline load (lexicon from cache)':44} {t_load:>9.2f}s")
    print(f"{'cached re-run of the analysis step (+load)':44} {t_cached:>9.2f}s")
    print(f"{'lexicon peak memory (fresh process)':44} {lexicon_mb:>8.0f}MB")
    print(f"{'this process peak RSS':44} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:>8.0f}MB")


if __name__ == "__main__":
    main()
