"""Statistics dashboard: trend charts with drill-down to the records behind each bar (pyqtgraph, imported lazily)."""
