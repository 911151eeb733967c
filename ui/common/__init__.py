"""What every view shares: roles, the theme, resources, the record table model."""
