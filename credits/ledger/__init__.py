"""The credit ledger: claims, external credit, voiding, and the clinician's transcript."""
