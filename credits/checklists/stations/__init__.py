"""Competency days: a live session run as a skills day with stations, each station's validator
recording the skills of the learners who rotate through, one tap per skill, with attendance
recorded at the same time."""
