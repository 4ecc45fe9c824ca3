"""The fictional demo data (`python -m chibo seed_demo`): the top layer, imported by nothing.

It builds through the production code (services, meetings.scoring, meetings.documents) and
bulk-inserts what it can; see docs/architecture.md, "Demo history in bulk"."""
