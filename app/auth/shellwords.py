r"""Split a pasted command line into words the way a shell would (POSIX sh, Windows cmd, PowerShell).

POSIX: single quotes, double quotes (backslash escapes only `$ \` " \\` and the newline), `$'...'`
ANSI-C quotes, backslash escapes and `\\`-newline continuations. Windows cmd (chosen when lines end
in `^` or `^"` appears): `^x` is x, double quotes group, `\\"` is a quote (the MSVC rules curl.exe
uses). PowerShell: a backtick at the end of a line continues it. Newlines between words are taken
as spaces, since pasted commands are often wrapped. Words after `|`, `;`, `&&` or `||` are cut off
and reported, never run.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.auth.errors import CurlError

_CMD_HINT = re.compile(r"\^[ \t]*\r?\n|\^\"")
_PS_CONTINUATION = re.compile(r"`[ \t]*\r?\n")
_ANSI = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b",
         "e": "\x1b", "E": "\x1b", "f": "\f", "v": "\v", "?": "?"}


@dataclass
class Words:
    words: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was cut off or left as is
    dialect: str = "posix"


def split(text: str) -> Words:
    """The words of the first command in text; raises CurlError for unbalanced quotes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CMD_HINT.search(text):
        return _split_cmd(text)
    if _PS_CONTINUATION.search(text):
        text = _PS_CONTINUATION.sub(" ", text)
        result = _Posix(text).run()
        result.dialect = "powershell"
        return result
    return _Posix(text).run()


def where(text: str, index: int) -> str:
    """'line L, column C' of an index (1-based)."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line}, column {column}"


class _Posix:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.out = Words()

    def run(self) -> Words:
        text, n = self.text, len(self.text)
        word: list[str] | None = None
        while self.i < n:
            c = text[self.i]
            if c in " \t\n":
                if word is not None:
                    self.out.words.append("".join(word))
                    word = None
                self.i += 1
                continue
            if word is None and c == "#":
                end = text.find("\n", self.i)
                self.i = n if end < 0 else end
                continue
            if c in "|;" or text.startswith("&&", self.i):
                rest = text[self.i:].strip()
                self.out.notes.append(f"ignored what follows {c if c != '&' else '&&'!r}: {rest[:60]!r}")
                break
            word = word if word is not None else []
            if c == "\\":
                if self.i + 1 < n and text[self.i + 1] == "\n":
                    self.i += 2
                    if not word:
                        word = None
                    continue
                if self.i + 1 < n:
                    word.append(text[self.i + 1])
                    self.i += 2
                else:
                    word.append("\\")
                    self.i += 1
            elif c == "'":
                word.append(self._single())
            elif c == "$" and text.startswith("$'", self.i):
                self.i += 1
                word.append(self._ansi())
            elif c == '"':
                word.append(self._double())
            else:
                word.append(c)
                self.i += 1
        if word is not None:
            self.out.words.append("".join(word))
        return self.out

    def _single(self) -> str:
        start = self.i
        end = self.text.find("'", start + 1)
        if end < 0:
            raise CurlError(f"unclosed single quote (') opened at {where(self.text, start)}")
        self.i = end + 1
        return self.text[start + 1:end]

    def _double(self) -> str:
        start, text = self.i, self.text
        out: list[str] = []
        self.i += 1
        while self.i < len(text):
            c = text[self.i]
            if c == '"':
                self.i += 1
                return "".join(out)
            if c == "\\" and self.i + 1 < len(text) and text[self.i + 1] in '$`"\\\n':
                if text[self.i + 1] != "\n":
                    out.append(text[self.i + 1])
                self.i += 2
                continue
            if c == "$" and self.i + 1 < len(text) and (text[self.i + 1].isalpha() or text[self.i + 1] in "{_"):
                self._note_variable()
            out.append(c)
            self.i += 1
        raise CurlError(f'unclosed double quote (") opened at {where(text, start)}')

    def _ansi(self) -> str:
        start, text = self.i, self.text
        out: list[str] = []
        self.i += 1
        while self.i < len(text):
            c = text[self.i]
            if c == "'":
                self.i += 1
                return "".join(out)
            if c == "\\" and self.i + 1 < len(text):
                out.append(self._escape())
                continue
            out.append(c)
            self.i += 1
        raise CurlError(f"unclosed $'...' quote opened at {where(text, start - 1)}")

    def _escape(self) -> str:
        text, k = self.text, self.i + 1
        c = text[k]
        if c in _ANSI:
            self.i = k + 1
            return _ANSI[c]
        for prefix, digits, base in (("x", 2, 16), ("u", 4, 16), ("U", 8, 16)):
            if c == prefix:
                m = re.match(rf"[0-9a-fA-F]{{1,{digits}}}", text[k + 1:])
                if m:
                    self.i = k + 1 + len(m.group())
                    return _char(int(m.group(), base))
        m = re.match(r"[0-7]{1,3}", text[k:])
        if m:
            self.i = k + len(m.group())
            return _char(int(m.group(), 8))
        self.i = k + 1
        return "\\" + c

    def _note_variable(self) -> None:
        m = re.match(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", self.text[self.i:])
        note = f"shell variable ${m.group(1) if m else ''} was left as is (not expanded)"
        if note not in self.out.notes:
            self.out.notes.append(note)


def _char(code: int) -> str:
    try:
        return chr(code)
    except (ValueError, OverflowError):
        return "\ufffd"


def _split_cmd(text: str) -> Words:
    """Windows cmd: carets escape, then curl.exe's MSVC argument rules."""
    text = re.sub(r"\^[ \t]*\n", " ", text)
    text = re.sub(r"\^(.)", r"\1", text, flags=re.S)
    out = Words(dialect="cmd")
    word: list[str] | None = None
    quoted, quote_start, i = False, 0, 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            run = len(text[i:]) - len(text[i:].lstrip("\\"))
            if i + run < len(text) and text[i + run] == '"':
                word = (word or []) + ["\\" * (run // 2)]
                if run % 2:
                    word.append('"')
                    i += run + 1
                else:
                    i += run
                continue
            word = (word or []) + ["\\" * run]
            i += run
            continue
        if c == '"':
            word = word if word is not None else []
            quoted, quote_start = not quoted, i
            i += 1
            continue
        if not quoted and c in " \t\n":
            if word is not None:
                out.words.append("".join(word))
                word = None
            i += 1
            continue
        if not quoted and (c == "|" or text.startswith("&&", i)):
            out.notes.append(f"ignored what follows {c!r}: {text[i:].strip()[:60]!r}")
            break
        word = (word or []) + [c]
        i += 1
    if quoted:
        raise CurlError(f'unclosed double quote (") opened at {where(text, quote_start)}')
    if word is not None:
        out.words.append("".join(word))
    return out
