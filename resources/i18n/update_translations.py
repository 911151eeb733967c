"""Refresh resources/i18n/app_en_US.ts from ui/ and build app_en_US.qm (pyside6-lupdate, pyside6-lrelease).

lupdate finds self.tr(), QCoreApplication.translate() and QT_TRANSLATE_NOOP(); the modules' short
`_tr("…")` helpers (each bound to one context) are added from the source with `ast`, with
numerus forms for "%n". English texts come from en_US.py (source → translation, or a (singular,
plural) pair for "%n"; BY_CONTEXT first, for a source whose English differs by context); a string
without one stays "unfinished" and is listed.
Usage: .venv/bin/python resources/i18n/update_translations.py
"""
from __future__ import annotations

import ast
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TS = HERE / "app_en_US.ts"
BIN = Path(sys.executable).parent


def helper_contexts(tree: ast.Module) -> dict[str, str]:
    """Module-level helpers such as `def _tr(text): return QCoreApplication.translate("Ctx", text)`
    (the context a string literal or a module constant such as CONTEXT = "Ctx")."""
    constants = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
                 for t in n.targets if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant)}
    out = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for sub in ast.walk(node):
                if (isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "translate"
                        and len(sub.args) >= 2 and isinstance(sub.args[1], ast.Name)):
                    ctx = sub.args[0]
                    if isinstance(ctx, ast.Constant):
                        out[node.name] = ctx.value
                    elif isinstance(ctx, ast.Name) and isinstance(constants.get(ctx.id), str):
                        out[node.name] = constants[ctx.id]
    return out


def helper_messages() -> list[tuple[str, str, str, int]]:
    found = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helpers = helper_contexts(tree)
        constants = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
                     for t in n.targets if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant)}
        for node in ast.walk(tree):
            # QT_TRANSLATE_NOOP(CONTEXT, "…") with the context in a module constant (lupdate skips it)
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "QT_TRANSLATE_NOOP"
                    and isinstance(node.args[0], ast.Name) and node.args[0].id in constants):
                found.append((constants[node.args[0].id], node.args[1].value,
                              "../../" + path.relative_to(ROOT).as_posix(), node.lineno))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in helpers
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.append((helpers[node.func.id], node.args[0].value, "../../" + path.relative_to(ROOT).as_posix(),
                              node.lineno))
    return found


def main() -> int:
    files = [str(p) for p in sorted((ROOT / "ui").rglob("*.py"))]
    subprocess.run([str(BIN / "pyside6-lupdate"), *files, "-source-language", "zh_CN", "-target-language", "en_US",
                    "-no-obsolete", "-ts", str(TS)], check=True)
    tree = ET.parse(TS)
    root = tree.getroot()
    contexts = {c.findtext("name"): c for c in root.findall("context")}
    for ctx, source, file, line in helper_messages():
        c = contexts.get(ctx)
        if c is None:
            c = ET.SubElement(root, "context")
            ET.SubElement(c, "name").text = ctx
            contexts[ctx] = c
        if any(m.findtext("source") == source for m in c.findall("message")):
            continue
        m = ET.SubElement(c, "message")
        if "%n" in source:
            m.set("numerus", "yes")
        ET.SubElement(m, "location", filename=file, line=str(line))
        ET.SubElement(m, "source").text = source
        ET.SubElement(m, "translation", type="unfinished")
    sys.path.insert(0, str(HERE))
    from en_US import BY_CONTEXT, TRANSLATIONS

    missing = []
    for c in root.findall("context"):
        own = BY_CONTEXT.get(c.findtext("name"), {})
        for m in c.findall("message"):
            source = m.findtext("source")
            tr = m.find("translation")
            english = own.get(source, TRANSLATIONS.get(source))
            if english is None:
                missing.append(f"{c.findtext('name')}: {source}")
                continue
            for child in list(tr):
                tr.remove(child)
            tr.text = None
            tr.attrib.pop("type", None)
            if m.get("numerus") == "yes":
                forms = english if isinstance(english, tuple) else (english, english)
                for form in forms:
                    ET.SubElement(tr, "numerusform").text = form
            else:
                tr.text = english if isinstance(english, str) else english[0]
    ET.indent(tree)
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(HERE / "app_en_US.qm")], check=True)
    for line in missing:
        print("untranslated:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
