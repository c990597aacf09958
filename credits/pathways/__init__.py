"""Learning pathways: a curated, versioned programme of steps (live courses, online modules,
drills, assigned training, external activities) with rules, and each learner's way through it."""
