"""Practice drills: a learner's spaced questions (Leitner schedule), the morning deliveries by
email and on the site, signed one-click answers, retirement and completion."""
