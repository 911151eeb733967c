"""Station side of the branch packages: the export dialog."""
