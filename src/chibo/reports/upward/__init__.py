"""The documents of a report upward: `document` lays it out as blocks of the export kit (drawn
to DOCX and PDF), `workbook` writes its XLSX (the figures and the grid)."""
