"""Skills checklists validated at the bedside: versioned checklists, self-assessment, validation
by authorised preceptors, an append-only history, units and their managers' readiness."""
