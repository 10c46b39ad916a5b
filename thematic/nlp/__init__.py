"""Norwegian NLP: a spaCy pipeline (trained if installed, else blank nb + Ordbank lexicon) and a cache."""
