"""Every write to attendance, claims, the ledger, certificates and exports, one module each."""
