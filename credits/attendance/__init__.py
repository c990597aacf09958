"""Attendance: check-in with the session's code, rosters and participant-report imports."""
