"""Reporting completions to the boards that track them: ACPE credit to NABP's CPE Monitor (one
web-service call per claim, within 60 days) and ABIM MOC points through ACCME PARS (within 30
days). One report record per claimed credit, its attempts, the office's dashboard and digest."""
