"""Test ledgers built in the shapes stations keep (see build.py); generated per test, not stored."""
