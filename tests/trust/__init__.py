"""The trust battery: real processes killed, disks filled and files locked (shared/TRUST_TESTS.md)."""
