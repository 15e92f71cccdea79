#!/usr/bin/env python3
"""Tidies a notebook that dotnet-repl executed, in place, and reports its cell errors.

dotnet-repl keeps every display update as an output of its own, where a notebook frontend replaces the output in
place. So, before the notebook is rendered:
- of the outputs of one SparsityKit progress bar (the same data-sparsitykit-progress key), only the last is kept;
- of a run of consecutive package-restore status outputs from .NET Interactive, only the last is kept.
It also numbers the code cells in execution order (dotnet-repl leaves them unnumbered), gives cells the ids that
nbformat 4.5 asks for, and prints each error output to stderr.

Nothing of the machine goes into the page: the .NET Interactive Jupyter kernel's probe script (which lists the host's
IP addresses, `probeAddresses([...])`) is dropped, the clone's absolute path becomes relative (with --root), and the
home folder becomes ~.

usage: postprocess-notebook.py [--root CLONE] NOTEBOOK.ipynb     exit status 1 when a cell has an error output, else 0
"""
import os
import json
import re
import sys
import uuid

PROGRESS_KEY = re.compile(r'data-sparsitykit-progress="([^"]+)"')
RESTORE_STATUS = ("<strong>Installing Packages</strong>", "<strong>Installed Packages</strong>", "<strong>Restore sources</strong>")


def html(output):
    value = output.get("data", {}).get("text/html", "")
    return "".join(value) if isinstance(value, list) else value


def is_probe(output):
    """The kernel's script that finds which of the host's addresses a browser can reach (Jupyter only)."""
    return "probeAddresses" in json.dumps(output.get("data", {}))


def scrub(value, root):
    """The clone's absolute path made relative and the home folder written ~, in every string of an output."""
    if isinstance(value, str):
        if root:
            value = value.replace(root + "/", "").replace(root, ".")
        home = os.path.expanduser("~")
        if len(home) > 1:
            value = re.sub(re.escape(home) + r"(?=[/\\\s\"'<)]|$)", "~", value)
        return value
    if isinstance(value, list):
        return [scrub(v, root) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v, root) for k, v in value.items()}
    return value


def tidy(outputs):
    outputs = [o for o in outputs if not is_probe(o)]
    last_of_bar = {}
    for i, output in enumerate(outputs):
        match = PROGRESS_KEY.search(html(output))
        if match:
            last_of_bar[match.group(1)] = i
    kept = []
    for i, output in enumerate(outputs):
        match = PROGRESS_KEY.search(html(output))
        if match and last_of_bar[match.group(1)] != i:
            continue
        is_restore = any(marker in html(output) for marker in RESTORE_STATUS)
        if is_restore and kept and any(marker in html(kept[-1]) for marker in RESTORE_STATUS):
            kept[-1] = output
            continue
        kept.append(output)
    return kept


def main(path, root=None):
    with open(path, encoding="utf-8") as f:
        notebook = json.load(f)
    errors = executed = 0
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        cell.setdefault("id", uuid.uuid4().hex[:8])
        if cell.get("cell_type") != "code":
            continue
        executed += 1
        cell["execution_count"] = executed
        cell["outputs"] = scrub(tidy(cell.get("outputs", [])), root)
        for output in cell["outputs"]:
            if output.get("output_type") == "execute_result":
                output["execution_count"] = executed
        for output in cell["outputs"]:
            if output.get("output_type") == "error":
                errors += 1
                message = output.get("evalue", "").strip().splitlines()
                print(f"{path}: cell {number}: {output.get('ename', 'Error')}: {message[0] if message else ''}", file=sys.stderr)
                for line in message[1:8]:
                    print(f"    {line}", file=sys.stderr)
    notebook["nbformat"], notebook["nbformat_minor"] = 4, max(5, notebook.get("nbformat_minor", 0))
    with open(path, "w", encoding="utf-8") as f:
        json.dump(notebook, f, indent=1, ensure_ascii=False)
        f.write("\n")
    return 1 if errors else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    clone = None
    if len(args) == 3 and args[0] == "--root":
        clone, args = os.path.realpath(args[1]).rstrip("/"), args[2:]
    if len(args) != 1:
        sys.exit(__doc__)
    sys.exit(main(args[0], clone))
