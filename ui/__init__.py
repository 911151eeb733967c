"""The Qt desktop app: application setup, the main window shell and one package per feature."""
