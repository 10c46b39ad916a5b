"""A synthetic transcript corpus of any size with a realistic, varied Norwegian vocabulary.

Words are drawn from wordfreq's Norwegian frequency list (Zipf-shaped: function words common, a
long tail of rare ones), mixed with inflected domain words, in speaker turns like real transcripts.
Not grammatical text, but the token and type distribution a pipeline meets in 1M words of speech.
"""

from __future__ import annotations

import random
from pathlib import Path

DOMAIN = ("skreddersømmen tilretteleggingen porteføljen brukermedvirkning tillit relasjonen "
          "arbeidsgiveren kollegene mentoren oppfølgingen samarbeidet fastlegen tidspresset "
          "arbeidsplassen [hen] NAV-veilederen motivasjonen mestring").split()
SPEAKERS = ("Intervjuer", "Veileder 1", "Veileder 2", "Mentor")


def vocabulary(size: int = 200_000) -> tuple[list[str], list[float]]:
    import wordfreq

    freqs = wordfreq.get_frequency_dict("nb", wordlist="large")
    words = [w for w, _ in sorted(freqs.items(), key=lambda kv: -kv[1]) if w.isalpha()][:size]
    return words, [freqs[w] for w in words]


def turn(rng: random.Random, words: list[str], cum: list[float]) -> str:
    sentences = []
    for _ in range(rng.randint(1, 6)):
        n = rng.randint(4, 22)
        tokens = rng.choices(words, cum_weights=cum, k=n)
        if rng.random() < 0.3:
            tokens[rng.randrange(n)] = rng.choice(DOMAIN)
        sentence = " ".join(tokens)
        sentences.append(sentence[0].upper() + sentence[1:] + rng.choice(".?.!."))
    return " ".join(sentences)


def generate(folder: Path, total_words: int, files: int = 100, seed: int = 7) -> int:
    """Write `files` transcripts of about total_words/files words each; return the word count."""
    rng = random.Random(seed)
    words, weights = vocabulary()
    cum, acc = [], 0.0
    for w in weights:
        acc += w
        cum.append(acc)
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for i in range(files):
        parts, count = [], 0
        while count < total_words // files:
            speaker = SPEAKERS[0] if len(parts) % 2 == 0 else rng.choice(SPEAKERS[1:])
            text = turn(rng, words, cum)
            parts.append(f"{speaker}: {text}")
            count += len(text.split())
        (folder / f"intervju-{i + 1:03d}.txt").write_text("\n\n".join(parts) + "\n", encoding="utf-8")
        written += count
    return written
