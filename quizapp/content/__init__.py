"""Course content as validated data: quiz definitions, their loader and validator, and rendering helpers."""
