"""Certificates: issued when credit is claimed, rendered by workers, verifiable in public."""
