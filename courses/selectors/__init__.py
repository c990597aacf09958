"""Every non-trivial read of courses lives here, one module per page family."""
