"""A speaker turn and the roles a turn can have: one definition for the corpus readers (which
make turns) and the query index (which packs and unpacks them). It imports nothing of ours, so a
query process that needs a turn pays for no reader and no pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

INTERVIEWER, INFORMANT, PREAMBLE = "interviewer", "informant", "preamble"


@dataclass(frozen=True, init=False)
class Turn:
    """One speaker turn; start/end are character offsets of its text (label excluded)."""

    index: int
    speaker: str | None
    role: str
    participant: str | None
    start: int
    end: int
    line: int
    text: str
    time: str | None = None  # "00:12:03" when the transcript is timed

    def __init__(self, index: int, speaker: str | None, role: str, participant: str | None, start: int,
                 end: int, line: int, text: str, time: str | None = None, words: int | None = None) -> None:
        """A frozen dataclass's own __init__ sets each field through object.__setattr__, twice
        as slow; a 1M-word corpus has ~22,000 turns, made again by every phase 3-6 re-run.
        `words`, when known (the query index keeps it), spares counting them again."""
        self.__dict__.update(index=index, speaker=speaker, role=role, participant=participant, start=start,
                             end=end, line=line, text=text, time=time)
        if words is not None:
            self.__dict__["words"] = words

    @cached_property
    def words(self) -> int:
        """Its words, as whitespace splits them: counted once per turn (the report and its
        checklist both count every informant's)."""
        return len(self.text.split())
