#!/usr/bin/env python3
"""The pandas + openpyxl peer for the tipaudit benchmark (examples/bench.rs).

Does what a analyst's script would: read every sheet with pandas (openpyxl engine), find
the header row in the first 30 rows, check each record for the trafficking clause
(TIP001: 52.222-50 not cited and neither 52.212-5 nor 52.213-4), flag repeated contract
ids (DATA003), write findings.jsonl, and (unless --no-annotate) write an annotated copy
with the four added columns through openpyxl.

usage: peer.py INPUT(.xlsx or folder)... -o OUT_DIR [--no-annotate]
"""
import argparse
import json
import os
import re
import sys

import pandas as pd

CONTRACT_ID = {"contractnumber", "contractid", "piid", "awardid", "ordernumber"}
CLAUSES = {"clauses", "farclauses", "sectioni"}
TIP = re.compile(r"52\s*\.\s*222\s*[-.]\s*50")
CARRIERS = re.compile(r"52\s*\.\s*21[23]\s*[-.]\s*[45]")


def fold(v):
    return re.sub(r"[^a-z0-9]", "", str(v).lower())


def inputs(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, files in sorted(os.walk(p)):
                for f in sorted(files):
                    if f.lower().endswith(".xlsx"):
                        yield os.path.join(root, f)
        else:
            yield p


def audit_sheet(path, name, df, out, seen):
    header = None
    for i in range(min(30, len(df))):
        folded = [fold(v) for v in df.iloc[i].tolist()]
        if any(f in CONTRACT_ID for f in folded):
            header = i
            break
    if header is None:
        return df, None
    cols = [fold(v) for v in df.iloc[header].tolist()]
    id_col = next(i for i, f in enumerate(cols) if f in CONTRACT_ID)
    clause_col = next((i for i, f in enumerate(cols) if f in CLAUSES), None)
    body = df.iloc[header + 1 :]
    ids = body.iloc[:, id_col].astype(str).str.strip()
    text = body.iloc[:, clause_col].fillna("").astype(str) if clause_col is not None else pd.Series("", index=body.index)
    has_tip = text.str.contains(TIP)
    has_carrier = text.str.contains(CARRIERS)
    statuses, rules_col, findings_col = [], [], []
    for idx, cid, tip, carrier in zip(body.index, ids, has_tip, has_carrier):
        row = int(idx) + 1
        findings = []
        if not tip and not carrier:
            findings.append({"rule": "TIP001", "kind": "missing_clause", "severity": "high",
                             "message": "52.222-50 Combating Trafficking in Persons is not cited",
                             "cite": "FAR 22.1705(a)(1)", "fix": "Insert 52.222-50 (OCT 2025)"})
        key = cid.upper()
        if key in seen:
            findings.append({"rule": "DATA003", "kind": "data_issue", "severity": "low",
                             "message": f"contract id {cid} repeats {seen[key]}",
                             "cite": "", "fix": "Remove the duplicate row"})
        else:
            seen[key] = f"{path}, sheet '{name}' row {row}"
        status = "gaps" if any(f["severity"] == "high" for f in findings) else ("review" if findings else "compliant")
        out.write(json.dumps({"file": path, "sheet": name, "row": row, "contract_id": cid,
                              "status": status, "risk": "none", "risk_categories": [],
                              "findings": findings}) + "\n")
        statuses.append(status)
        rules_col.append(" ".join(f["rule"] for f in findings))
        findings_col.append("; ".join(f["message"] for f in findings))
    return body, (statuses, rules_col, findings_col)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("--no-annotate", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    seen = {}
    with open(os.path.join(a.out, "findings.jsonl"), "w") as out:
        for path in inputs(a.inputs):
            sheets = pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl", dtype=object)
            annotated = {}
            for name, df in sheets.items():
                body, added = audit_sheet(path, name, df, out, seen)
                if added is not None and not a.no_annotate:
                    body = body.copy()
                    body["Audit Status"], body["Rule IDs"], body["Findings"] = added
                    body["Risk"] = "none"
                annotated[name] = body
            if not a.no_annotate:
                stem = os.path.splitext(os.path.basename(path))[0]
                with pd.ExcelWriter(os.path.join(a.out, stem + ".audited.xlsx"), engine="openpyxl") as w:
                    for name, body in annotated.items():
                        body.to_excel(w, sheet_name=name, index=False, header=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
