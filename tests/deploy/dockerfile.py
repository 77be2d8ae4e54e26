"""A small Dockerfile reader: instructions with their stage and the comments above them.

Enough of the Dockerfile syntax for what the tests check (line continuations, comments, stages,
exec-form JSON arguments, ``.dockerignore`` patterns); hadolint checks the rest.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str
    stage: str
    line: int
    comments: tuple[str, ...] = ()

    def exec_form(self) -> list[str]:
        """The JSON array of an exec-form ENTRYPOINT/CMD (after HEALTHCHECK's ``CMD`` if any)."""
        text = self.arguments
        if self.keyword == "HEALTHCHECK":
            text = text[text.index(" CMD ") + len(" CMD ") :]
        value = json.loads(text)
        assert isinstance(value, list) and all(isinstance(v, str) for v in value), text
        return value


@dataclass
class Dockerfile:
    instructions: list[Instruction]
    global_args: dict[str, str] = field(default_factory=dict)

    def stages(self) -> dict[str, str]:
        """Stage name -> the image or stage it is built FROM (global ARGs substituted)."""
        result: dict[str, str] = {}
        for ins in self.instructions:
            if ins.keyword == "FROM":
                image, _, name = ins.arguments.partition(" AS ")
                result[name.strip()] = self.substitute(image.strip())
        return result

    def lineage(self, stage: str) -> list[str]:
        """The stage and every stage it builds FROM, nearest first."""
        stages = self.stages()
        chain = [stage]
        while stages[chain[-1]] in stages:
            chain.append(stages[chain[-1]])
        return chain

    def of_stage(self, stage: str, keyword: str) -> list[Instruction]:
        """``keyword`` instructions that ``stage`` runs, its parents' first (inheritance order)."""
        chain = list(reversed(self.lineage(stage)))
        return [i for s in chain for i in self.instructions if i.stage == s and i.keyword == keyword]

    def substitute(self, text: str) -> str:
        return re.sub(r"\$\{(\w+)\}", lambda m: self.global_args[m.group(1)], text)

    def env(self, stage: str) -> dict[str, str]:
        """The ENV a container of ``stage`` starts with (``KEY=value`` pairs, parents' first)."""
        result: dict[str, str] = {}
        for ins in self.of_stage(stage, "ENV"):
            for pair in re.split(r"\s+", ins.arguments.strip()):
                key, _, value = pair.partition("=")
                result[key] = value
        return result


def parse_dockerfile(path: Path) -> Dockerfile:
    instructions: list[Instruction] = []
    global_args: dict[str, str] = {}
    comments: list[str] = []
    stage = ""
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        line = raw.strip()
        if not pending:
            if not line:
                comments = []
                continue
            if line.startswith("#"):
                comments.append(line.lstrip("#").strip())
                continue
            start = number
        pending.append(line.removesuffix("\\").strip())
        if line.endswith("\\"):
            continue
        text = " ".join(p for p in pending if p)
        pending = []
        keyword, _, arguments = text.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            stage = arguments.partition(" AS ")[2].strip()
        elif keyword == "ARG" and not stage:
            name, _, default = arguments.partition("=")
            global_args[name] = default
        instructions.append(Instruction(keyword, arguments, stage, start, tuple(comments)))
        comments = []
    return Dockerfile(instructions, global_args)


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """A .dockerignore pattern (Go filepath.Match plus ``**``) as a regular expression."""
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        else:
            char = pattern[i]
            out += "[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char)
            i += 1
    return re.compile(out + r"\Z")


def build_context(root: Path, dockerignore: Path) -> list[Path]:
    """The files ``docker build`` sends for ``root``: a path is excluded when a pattern matches
    it or one of its parent folders, the last matching pattern deciding (``!`` re-includes)."""
    rules: list[tuple[bool, re.Pattern[str]]] = []
    for raw in dockerignore.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        include = line.startswith("!")
        pattern = line.removeprefix("!").strip().strip("/")
        rules.append((include, _pattern_regex(pattern)))
    kept: list[Path] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        parts = relative.split("/")
        prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
        excluded = False
        for include, regex in rules:
            if any(regex.match(prefix) for prefix in prefixes):
                excluded = not include
        if not excluded:
            kept.append(path.relative_to(root))
    return kept
