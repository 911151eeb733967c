"""Export packages from a station to its branch office (分局) and their import there (docs/sync-format.md)."""
