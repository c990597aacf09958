"""Financial-relationship disclosure (ACCME Standard 3) and commercial support (Standard 4):
self-disclosure by everyone in control of content through signed links, the per-activity
mitigation review, what learners see, and the written agreements for commercial support."""
