"""Trust features in the window: backups and restore, the audit trail."""
