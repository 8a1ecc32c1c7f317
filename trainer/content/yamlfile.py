"""YAML that remembers where each value came from, so errors can point at a line."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass
class Located:
    """A parsed YAML document plus its node tree (for line lookups)."""

    data: object
    node: yaml.Node | None

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """The 1-based line of the value at ``path`` (or of the nearest parent that exists)."""
        node, line = self.node, None
        if node is not None:
            line = node.start_mark.line + 1
        for step in path:
            if isinstance(node, yaml.MappingNode):
                match = next((v for k, v in node.value if k.value == step), None)
                if match is None:
                    key = next((k for k, _ in node.value if k.value == step), None)
                    return key.start_mark.line + 1 if key is not None else line
                node = match
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
            else:
                return line
            line = node.start_mark.line + 1
        return line


class YamlSyntaxError(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def load(path: Path) -> Located:
    text = path.read_text(encoding="utf-8")
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlSyntaxError(f"YAML syntax: {error.problem or error}", mark.line + 1 if mark else None) from error
    except yaml.YAMLError as error:
        raise YamlSyntaxError(f"YAML syntax: {error}", None) from error
    return Located(data=data, node=node)
