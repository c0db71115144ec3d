"""A strict YAML reader: no duplicate keys, no aliases or anchors, line numbers kept."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode


class YamlProblem(Exception):
    """A YAML file that cannot be read; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class LineDict(dict[str, Any]):
    """A mapping that remembers its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence that remembers its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects aliases, anchors and duplicate keys."""

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise YamlProblem(event.start_mark.line + 1, "YAML aliases (*name) are not allowed")
        event = self.peek_event()  # type: ignore[no-untyped-call]
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlProblem(
                event.start_mark.line + 1, f"YAML anchors (&{anchor}) are not allowed"
            )
        return super().compose_node(parent, index)


def _construct_mapping(loader: StrictLoader, node: MappingNode) -> LineDict:
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise YamlProblem(line, "YAML merge keys (<<) are not allowed")
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise YamlProblem(line, f"key {key!r} must be a string")
        if key in data:
            raise YamlProblem(line, f"duplicate key {key!r} (first on line {data.key_lines[key]})")
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line
    return data


def _construct_sequence(loader: StrictLoader, node: SequenceNode) -> LineList:
    data = LineList(loader.construct_object(child, deep=True) for child in node.value)
    data.line = node.start_mark.line + 1
    data.item_lines = [child.start_mark.line + 1 for child in node.value]
    return data


StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
StrictLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def read_yaml(text: str) -> Any:
    """Parse one YAML document strictly; raises ``YamlProblem`` with the line."""
    try:
        return yaml.load(text, Loader=StrictLoader)
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlProblem(line, f"bad YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, f"bad YAML: {exc}") from None


def line_of(data: Any, path: tuple[int | str, ...], default: int) -> int:
    """The line of the deepest node along ``path`` (a pydantic error location)."""
    line = getattr(data, "line", default) or default
    node = data
    for part in path:
        if isinstance(node, LineDict) and isinstance(part, str) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line
