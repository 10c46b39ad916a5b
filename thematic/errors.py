"""One error root: the CLI catches ThematicError once and prints it as one line, no traceback."""

from __future__ import annotations


class ThematicError(Exception):
    """An error the researcher can act on: what happened, where, and (optionally) the fix."""

    def __init__(self, message: str, fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message} (fix: {self.fix})" if self.fix else self.message


class ProjectError(ThematicError):
    """thematic.yaml or the study folder is missing or wrong."""


class CorpusError(ThematicError):
    """A data item cannot be read."""


class ArtefactError(ThematicError):
    """A YAML file (artefact, codebook, project file) is malformed; message names file:line."""


class HandEditError(ThematicError):
    """A machine-owned field was edited by hand; we refuse to overwrite it without --force."""


class StaleQuoteError(ThematicError):
    """A quoted extract no longer matches its source text."""
