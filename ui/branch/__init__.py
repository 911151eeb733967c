"""The branch office's console: per-station freshness and importing packages."""
