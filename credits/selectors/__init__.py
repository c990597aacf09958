"""Every non-trivial read for credits, transcripts, requirements and reports, one module each."""
