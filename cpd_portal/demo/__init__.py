"""Demo data for `manage.py seed_demo`: people, activities and a year of their history, made
through the same services as the people they stand for, so every page, report and API feed
shows it as it would show theirs.

The package sits above every product layer: nothing in accounts, courses, credits or cpd_portal
imports it (pyproject.toml's contracts and tests/demo/test_boundaries.py hold that). Each area
is one module with `plan()` (what it will create) and `seed(demo)`; `demo.seed.AREAS` runs them
in order. docs/demo.md says who the demo people are and what each one shows.
"""
