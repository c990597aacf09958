"""Evaluations: the questions asked after an activity, the clinician's answers, the results."""
