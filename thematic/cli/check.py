"""thematic check: Braun & Clarke's 15-point checklist answered from the artefacts."""
