#!/usr/bin/env python3
"""Recalculates lot-schedule.xlsx in LibreOffice headless, for xlsx_test.

Usage: xlsx_recalc.py SCHEDULE.xlsx WORK_DIR NEW_PRICE_LOW

Writes two copies into WORK_DIR with every cached formula result removed (so LibreOffice
must compute each formula itself): "recalc.xlsx" unchanged, and "price.xlsx" with the
Assumptions input B2 (price per hour, low) set to NEW_PRICE_LOW. Converts both to CSV (the
Lots sheet, raw values) with one soffice run and prints JSON:
  {"formulas": {"I2": "G2*WeeksPerYear", ...},
   "cached": {"I2": 52548.6, ...}, "recalc": {...}, "price": {...}}
with the values of every formula cell of the Lots sheet (null when LibreOffice left it empty).
"""
import csv
import json
import pathlib
import re
import subprocess
import sys
import zipfile

# A cell, self-closing (blank) or with a body: groups column, row, attributes, body.
CELL = re.compile(r'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)


def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def number(text):
    text = text.strip()
    if not text:
        return None
    if text.endswith("%"):
        return float(text[:-1]) / 100
    return float(text)


def strip_cached(xml):
    """Removes <v> from every cell that has a formula."""
    def drop(m):
        body = m.group(4)
        if body is None:
            return m.group(0)
        if "<f>" in body:
            body = re.sub(r"<v>.*?</v>", "", body)
        return f'<c r="{m.group(1)}{m.group(2)}"{m.group(3)}>{body}</c>'
    return CELL.sub(drop, xml)


def set_b2(xml, value):
    out, n = re.subn(r'(<c r="B2"[^>]*>)<v>[^<]*</v>', rf"\g<1><v>{value}</v>", xml)
    if n != 1:
        sys.exit("Assumptions!B2 not found")
    return out


def write_copy(src, dst, price=None):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                xml = strip_cached(data.decode("utf-8"))
                if price is not None and item.filename == "xl/worksheets/sheet3.xml":
                    xml = set_b2(xml, price)
                data = xml.encode("utf-8")
            zout.writestr(item, data)


def main():
    src, work, price = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).resolve(), sys.argv[3]
    work.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(src) as z:
        lots = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    formulas, cached = {}, {}
    for m in CELL.finditer(lots):
        f = re.search(r"<f>(.*?)</f>", m.group(4) or "")
        if not f:
            continue
        ref = m.group(1) + m.group(2)
        formulas[ref] = f.group(1)
        v = re.search(r"<v>(.*?)</v>", m.group(4))
        cached[ref] = float(v.group(1)) if v else None
    write_copy(src, work / "recalc.xlsx")
    write_copy(src, work / "price.xlsx", price)
    # Lots sheet only (sheet 1), raw values (not "as shown"), UTF-8.
    fmt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{work / 'lo-profile'}", "--headless",
         "--convert-to", fmt, "--outdir", str(work), str(work / "recalc.xlsx"),
         str(work / "price.xlsx")],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=240)
    out = {"formulas": formulas, "cached": cached}
    for name in ("recalc", "price"):
        # A single-sheet export is named after the sheet ("recalc-Lots.csv").
        with open(work / f"{name}-Lots.csv", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        vals = {}
        for ref in formulas:
            m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
            r, c = int(m.group(2)) - 1, col_index(m.group(1))
            vals[ref] = number(rows[r][c]) if r < len(rows) and c < len(rows[r]) else None
        out[name] = vals
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
