"""RTF transcripts (WordPad, TextEdit, older Word): visible text only, in the document's code page.

A small tokenizer, not a renderer: groups that hold no visible text (font tables, pictures,
headers, field instructions, anything marked \\*) are skipped; \\par ends a paragraph.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from thematic.errors import CorpusError
from thematic.readers.base import Source, from_blocks

_TOKEN = re.compile(r"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.S)
_SKIP = frozenset(
    "fonttbl colortbl stylesheet info pict header headerl headerr headerf footer footerl footerr "
    "footerf footnote annotation object fldinst themedata colorschememapping latentstyles datastore "
    "xmlnstbl listtable listoverridetable rsidtbl generator mmathPr filetbl revtbl pgdsctbl "
    "bkmkstart bkmkend atnid atnauthor nonshppict private".split()
)
_BREAK = frozenset({"par", "row", "sect", "page"})
_CHARS = {"line": "\n", "tab": "\t", "cell": "\t", "emdash": "\u2014", "endash": "\u2013", "lquote": "\u2018",
          "rquote": "\u2019", "ldblquote": "\u201c", "rdblquote": "\u201d", "bullet": "\u2022"}
_SYMBOLS = {"~": "\u00a0", "_": "-", "{": "{", "}": "}", "\\": "\\"}


class _State:
    """Where the tokenizer is: the paragraphs so far, the group stack, pending code-page bytes."""

    def __init__(self) -> None:
        self.blocks: list[tuple[str, int]] = []
        self.parts: list[str] = []
        self.pending = bytearray()
        self.stack: list[tuple[bool, int]] = []
        self.skip, self.uc, self.to_skip, self.fresh = False, 1, 0, False
        self.codepage = "cp1252"

    def emit(self, text: str) -> None:
        if self.skip:
            return
        if self.to_skip:  # characters after \uN that stand in for it
            dropped = min(self.to_skip, len(text))
            self.to_skip -= dropped
            text = text[dropped:]
        self.flush()
        self.parts.append(text)

    def flush(self) -> None:
        if self.pending:
            self.parts.append(self.pending.decode(self.codepage, errors="replace"))
            self.pending.clear()

    def paragraph(self) -> None:
        self.flush()
        self.blocks.append(("".join(self.parts), len(self.blocks) + 1))
        self.parts = []


def _word(state: _State, word: str, arg: str | None) -> None:
    if state.fresh and word in _SKIP:
        state.skip = True
    state.fresh = False
    if word == "ansicpg" and arg:
        state.codepage = _codepage(arg)
    elif word == "uc" and arg:
        state.uc = max(0, int(arg))
    elif word == "u" and arg and not state.skip:
        state.emit(chr(int(arg) % 65536))
        state.to_skip = state.uc
    elif word in _BREAK and not state.skip:
        state.paragraph()
    elif word in _CHARS:
        state.emit(_CHARS[word])


def _group(state: _State, brace: str) -> None:
    if brace == "{":
        state.stack.append((state.skip, state.uc))
        state.fresh = True
    elif state.stack:
        state.flush()
        state.skip, state.uc = state.stack.pop()
        state.fresh, state.to_skip = False, 0


def read_rtf(path: Path, raw: bytes, sha256: str) -> Source:
    if not raw.lstrip().startswith(b"{\\rtf"):
        raise CorpusError(f"{path}: not an RTF document (it does not start with {{\\rtf)")
    state = _State()
    for m in _TOKEN.finditer(raw.decode("latin-1")):
        word, arg, hexbyte, symbol, brace, text = m.groups()
        if word:
            _word(state, word, arg)
        elif hexbyte:
            if not state.skip and not _consume_skip(state):
                state.pending.append(int(hexbyte, 16))
        elif symbol is not None:
            state.skip = state.skip or (state.fresh and symbol == "*")
            state.fresh = False
            if symbol in _SYMBOLS:
                state.emit(_SYMBOLS[symbol])
        elif brace:
            _group(state, brace)
        elif text:
            state.fresh = False
            state.emit(text)
    state.paragraph()
    blocks = [[(_pair_surrogates(text), number)] for text, number in state.blocks]
    return from_blocks(path, blocks, sha256, "rtf")


def _codepage(number: str) -> str:
    name = "utf-8" if number == "65001" else f"cp{number.lstrip('-')}"
    try:
        codecs.lookup(name)
    except LookupError:
        return "cp1252"
    return name


def _pair_surrogates(text: str) -> str:
    """\\uN gives UTF-16 units: join surrogate pairs (emoji), replace lone halves."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _consume_skip(state: _State) -> bool:
    """A \\'hh right after \\uN is its stand-in: drop it."""
    if state.to_skip:
        state.to_skip -= 1
        return True
    return False
