"""Report output that needs Qt: the PDF writer (QTextDocument + QPdfWriter) for the report pack."""
