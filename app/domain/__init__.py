"""Domain rules: the four-colour levels, the closed loop, identity checks. One source of truth."""
