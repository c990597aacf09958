"""Reports: the exporters (PARS, credit report, rosters), their writers, the export log."""
