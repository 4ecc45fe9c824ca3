"""chibo: Party cell meetings, members and oversight."""
