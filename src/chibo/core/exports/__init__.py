"""The export kit: every file chibo produces goes through it.

- `layout`, `pdf`, `docx`: official documents as blocks, drawn as PDF (WeasyPrint) and DOCX
  (python-docx) in the layout of Party documents, with the bundled font (`fonts`).
- `tables`: the list-exporter contract — a table yields its rows once and renders to XLSX
  (openpyxl, write-only) or CSV.
- `responses`: the HTTP file responses (XLSX, PDF, DOCX, CSV) with their file names.
- `reader`: the streaming XLSX reader used by imports.

Core imports nothing from the apps; apps compose their exports from these parts.
"""
