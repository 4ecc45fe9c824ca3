"""Twelve months of past meetings for the demo cells: see `seeding` for what is built and how."""
