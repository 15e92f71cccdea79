#!/usr/bin/env python3
"""Generates the notebooks' C# file-based-app twins: notebooks/apps/NN-name.cs from notebooks/NN-name.ipynb.

Each app runs the notebook's code cells in order with `dotnet run -c Release notebooks/apps/NN-name.cs` (.NET 10;
without `-c Release` the library's project builds as Debug, with the JIT optimizer off, which makes training slower):
- cells tagged `notebook-only` (the package feed and `#r` lines) are left out; the app references the library's
  project and the Linux libtorch package instead (at the version Directory.Packages.props pins, named in the app, so
  central package management is off for it), with PublishAot=false (else JSON serialisation is disabled);
- `using` lines move to the top of the file and `record` declarations to its end, as C# requires outside scripts;
- a cell's trailing expression, which a notebook displays, becomes `Show(expression, cell: N)`: tables and text on the
  console, charts as offline HTML files in artifacts/apps/NN-name/ (see SparsityKit.Analysis.AppOutput).
Never edit the apps by hand: change the notebook and run this script. The tests check that the apps are up to date.

usage: scripts/notebook-apps.py [--check]     --check: write nothing; exit 1 and name the apps that differ
"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
APPS = NOTEBOOKS / "apps"
LIBTORCH = "libtorch-cpu-linux-x64"

USING = re.compile(r"^using\s+(static\s+)?[\w.]+\s*(=\s*[\w.<>, ]+)?;\s*$")
TYPE_DECLARATION = re.compile(r"^((public|internal|sealed|abstract|readonly)\s+)*(record|class|struct|enum|interface)\b")


def package_version(name):
    """The version Directory.Packages.props pins, so the app and the projects use the same package."""
    props = (ROOT / "Directory.Packages.props").read_text(encoding="utf-8")
    match = re.search(r'<PackageVersion Include="%s" Version="([^"]+)"' % re.escape(name), props)
    if not match:
        sys.exit(f"error: Directory.Packages.props pins no version of {name}")
    return match.group(1)


def code_of(line):
    """The line without a trailing // comment (good enough for the notebooks' code: no // inside strings)."""
    return re.sub(r"\s*//.*$", "", line).rstrip() if "://" not in line else line.rstrip()


def split_trailing_expression(lines):
    """(statements, expression): the lines after the last one that ends a statement, if any, are what the cell shows."""
    end = len(lines)
    while end > 0 and not code_of(lines[end - 1]).strip():
        end -= 1
    last_statement = -1
    for i in range(end):
        code = code_of(lines[i])
        if code.endswith(";") or code.endswith("}") or code.endswith("{"):
            last_statement = i
    start = last_statement + 1
    while start < end and not code_of(lines[start]).strip():   # blank and comment lines stay statements
        start += 1
    if start == end:
        return lines[:end], None
    return lines[:start], "\n".join(l.rstrip() for l in lines[start:end]).strip()


def generate(notebook):
    name = notebook.stem
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    usings, types, body = [], [], []
    number = 0   # code cells counted as a notebook numbers them when run top to bottom
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        number += 1
        if "notebook-only" in cell.get("metadata", {}).get("tags", []):
            continue
        lines = "".join(cell.get("source", [])).split("\n")
        if any(l.lstrip().startswith(("#!", "#r", "#i")) for l in lines):
            sys.exit(f"error: {notebook.name} cell {number} has a magic command; tag the cell notebook-only or remove it.")
        kept = []
        for line in lines:
            if USING.match(line):
                if line.strip() not in usings:
                    usings.append(line.strip())
            elif TYPE_DECLARATION.match(line):
                types.append(line.rstrip())
            else:
                kept.append(line)
        statements, expression = split_trailing_expression(kept)
        while statements and not statements[0].strip():
            statements = statements[1:]
        if not statements and expression is None:
            continue
        body.append(f"// Cell {number}")
        body.extend(l.rstrip() for l in statements)
        if expression is not None:
            body.append(f"Show({expression}, cell: {number});")
        body.append("")
    header = [
        f"// Generated from notebooks/{notebook.name} by scripts/notebook-apps.py: do not edit; change the notebook and",
        "// run the script. It runs the notebook's code cells in order, prints what a cell shows, and writes each chart",
        f"// as an offline HTML page to artifacts/apps/{name}/cell-NN.html (or $SPARSITYKIT_APP_OUTPUT).",
        f"//   dotnet run -c Release notebooks/apps/{name}.cs                          quick mode",
        f"//   SPARSITYKIT_MODE=full dotnet run -c Release notebooks/apps/{name}.cs    the papers' settings",
        "// (-c Release: otherwise the library builds as Debug, with the JIT optimizer off, which makes training slower)",
        "// Linux x64 (libtorch's Linux package); elsewhere use the TorchSharp-cpu package instead.",
        "#:project ../../src/SparsityKit/SparsityKit.csproj",
        f"#:package {LIBTORCH}@{package_version(LIBTORCH)}",
        "#:property PublishAot=false",
        "#:property ManagePackageVersionsCentrally=false",
        "",
        *sorted(set(usings) | {"using static SparsityKit.Analysis.AppOutput;"}, key=lambda u: (u.startswith("using static"), u)),
        "",
        f'Begin(chartFolder: "../../artifacts/apps/{name}", dataFolder: "../../data");',
        "",
    ]
    text = "\n".join(header + body).rstrip() + "\n"
    if types:
        text += "\n" + "\n".join(types) + "\n"
    return text


def main(argv):
    check = argv == ["--check"]
    if argv and not check:
        sys.exit(__doc__)
    APPS.mkdir(exist_ok=True)
    stale = []
    expected = set()
    for notebook in sorted(NOTEBOOKS.glob("*.ipynb")):
        app = APPS / (notebook.stem + ".cs")
        expected.add(app.name)
        text = generate(notebook)
        if not app.exists() or app.read_text(encoding="utf-8") != text:
            stale.append(app.name)
            if not check:
                app.write_text(text, encoding="utf-8")
    orphans = sorted(p.name for p in APPS.glob("*.cs") if p.name not in expected)
    if check:
        if stale or orphans:
            print("notebook apps out of date: " + ", ".join(stale + [f"{o} (no notebook)" for o in orphans]) +
                  "; run python3 scripts/notebook-apps.py", file=sys.stderr)
            return 1
        return 0
    for orphan in orphans:
        (APPS / orphan).unlink()
    print(f"notebook apps: {len(expected)} in notebooks/apps ({len(stale)} rewritten, {len(orphans)} removed)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
