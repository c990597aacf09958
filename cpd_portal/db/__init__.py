"""Database building blocks the apps' migrations share, below every app (like the cache layer):
it imports none of them."""
