"""The installable web app: the manifest, the service worker (served at /sw.js so its scope is
the whole site), the time an action queued offline was taken (`recorded.py`), the headers that
keep staff pages and sign-out out of every cache (`middleware.py`), and Web Push subscriptions
as a channel of the outbox beside email. Design: docs/decisions/0029, docs/offline-and-push.md.
"""
