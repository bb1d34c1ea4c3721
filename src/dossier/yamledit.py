"""Edit a value in a contributor's YAML file without rewriting the rest of it.

Re-dumping a file would lose its comments, its key order, its line
wrapping and the schema modeline, and turn a one-line change into a
diff of the whole file.  These functions splice new text in at the
place the YAML parser says the old value was, and leave every other byte
as it was.  The result is parsed again before it is returned: an edit
that would not read back as intended raises ``ValueError`` instead.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence

import yaml

Path = Sequence[str | int]
PathLike = str | os.PathLike[str]


_PLAIN = re.compile(r"^[\w][\w .,'()$%/-]*$")


def scalar(value: str) -> str:
    """A YAML scalar that reads back as exactly ``value``: plain words where that is safe."""
    if _PLAIN.match(value) and not value.endswith(" ") and \
            yaml.load(value, Loader=yaml.SafeLoader) == value:
        return value
    out = json.dumps(value, ensure_ascii=False)
    for ch in ("\u0085", "\u2028", "\u2029"):  # YAML line breaks that JSON leaves raw
        out = out.replace(ch, f"\\u{ord(ch):04x}")
    return out


def _node(root: yaml.Node, path: Path) -> yaml.Node | None:
    node: yaml.Node | None = root
    for step in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            node = node.value[step] if step < len(node.value) else None
        else:
            return None
    return node


def _read(text: str) -> object:
    return yaml.load(text, Loader=yaml.BaseLoader)  # strings only: compares what was written


def _value_at(data: object, path: Path) -> object:
    for step in path:
        data = data[step]  # type: ignore[index]
    return data


def set_value(text: str, path: Path, value: str) -> str:
    """``text`` with the value at ``path`` set to ``value``; a missing key is added.

    A missing key is added as the last key of its mapping, which must exist
    and be a block mapping.
    """
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is None:
        raise ValueError("empty document")
    node = _node(root, path)
    if node is not None:
        if not isinstance(node, yaml.ScalarNode):
            raise ValueError(f"{'.'.join(map(str, path))} is not a single value")
        start, end = node.start_mark.index, node.end_mark.index
        edited = text[:start] + scalar(value) + text[end:]
    else:
        parent = _node(root, path[:-1])
        if not isinstance(parent, yaml.MappingNode) or parent.flow_style or not parent.value:
            raise ValueError(f"no block mapping to add '{path[-1]}' to")
        first_key = parent.value[0][0]
        indent = first_key.start_mark.column
        last_value = parent.value[-1][1]
        end = last_value.end_mark.index
        # Insert after the line on which the mapping's last value ends.
        line_end = text.find("\n", end - 1 if text[end - 1:end] == "\n" else end)
        at = len(text) if line_end == -1 else line_end + 1
        prefix = "" if at == 0 or text[at - 1] == "\n" else "\n"
        edited = (text[:at] + prefix + " " * indent + f"{path[-1]}: {scalar(value)}\n"
                  + text[at:])
    if _value_at(_read(edited), path) != value:
        raise ValueError(f"the edit of {'.'.join(map(str, path))} does not read back")
    return edited


def remove_key(text: str, path: Path) -> str:
    """``text`` without the key at ``path`` and its value (whole lines only)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    parent = _node(root, path[:-1]) if root is not None else None
    if not isinstance(parent, yaml.MappingNode) or parent.flow_style:
        raise ValueError(f"no block mapping holds '{path[-1]}'")
    pair = next(((k, v) for k, v in parent.value if k.value == path[-1]), None)
    if pair is None:
        return text
    key, value = pair
    start = text.rfind("\n", 0, key.start_mark.index) + 1
    if text[start:key.start_mark.index].strip():
        raise ValueError(f"'{path[-1]}' does not start its own line")
    end = value.end_mark.index
    line_end = text.find("\n", end - 1 if text[end - 1:end] == "\n" else end)
    edited = text[:start] + ("" if line_end == -1 else text[line_end + 1:])
    data = _read(edited)
    try:
        _value_at(data, path)
    except (KeyError, TypeError):
        return edited
    raise ValueError(f"the removal of {'.'.join(map(str, path))} does not read back")


def edit_file(path: PathLike, edits: dict[tuple[str, ...], str | None]) -> None:
    """Apply ``edits`` (None removes a key) to one file, all or nothing, atomically."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    for key, value in edits.items():
        text = remove_key(text, key) if value is None else set_value(text, key, value)
    temp = f"{path}.rebase-{os.getpid()}"
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temp, path)
