"""Courses, sessions, credit designations, disclosures and enrolment."""
