"""Station intelligence tracking: the Qt-free core (domain rules, services, CLI)."""
__version__ = "0.1.0"
APP_NAME = "StationIntel"
APP_ORG = "StationIntel"
