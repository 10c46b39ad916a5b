"""The report of phase 6 as data (thematic.writeup.model) and the three ways it is written out:
Markdown (6-report.md, phase 6's artefact), self-contained HTML and Word. Every word the report
says itself comes from one table per language (thematic.writeup.strings)."""
