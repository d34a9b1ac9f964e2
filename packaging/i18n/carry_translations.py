"""Give messages that lupdate marked unfinished the translation their source text had before, in any context.

lupdate keys translations on (context, source); code moved to another class (a new context) would come back
unfinished although its text was translated. Run between lupdate and lrelease with the catalog as it was:

    python packaging/i18n/carry_translations.py OLD.ts NEW.ts
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET


def translations(root) -> dict[str, str]:
    out = {}
    for msg in root.iter("message"):
        src, tr = msg.find("source"), msg.find("translation")
        if src is not None and tr is not None and tr.get("type") is None and tr.text:
            out.setdefault(src.text, tr.text)
    return out


def carry(old_path: str, new_path: str) -> int:
    known = translations(ET.parse(old_path).getroot())
    tree = ET.parse(new_path)
    n = 0
    for msg in tree.getroot().iter("message"):
        src, tr = msg.find("source"), msg.find("translation")
        if tr is not None and tr.get("type") == "unfinished" and src.text in known:
            tr.text = known[src.text]
            del tr.attrib["type"]
            n += 1
    if n:
        with open(new_path, "wb") as f:
            f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
            tree.write(f, encoding="utf-8", xml_declaration=False)
    return n


if __name__ == "__main__":
    print(f"{carry(sys.argv[1], sys.argv[2])} translations carried to moved messages")
