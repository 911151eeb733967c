"""The record tables (cases, disputes, key persons): columns, the table view with its filters."""
