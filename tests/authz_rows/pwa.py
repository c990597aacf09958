"""The installable app: the manifest, the service worker and its two offline pages are the same
for everyone (no personal data); the list of pages kept offline, the drill shortcut and push
subscriptions are the signed-in person's own; a lesson read offline is sent like opening the
lesson (its learner, and the CME office who may read every module; nothing is recorded for
the office)."""
from tests.authz_rows import Row, everyone, signed_in

ROWS: dict[str, Row] = {
    "manifest.webmanifest": Row(everyone(200)),
    "sw.js": Row(everyone(200)),
    "offline/": Row(everyone(200)),
    "offline/saved/": Row(everyone(200)),
    "learning/offline-pages/": Row(signed_in(200)),
    "drills/today/": Row(signed_in("redirect")),
    # Push: one's own devices only (the matrix posts no subscription, which is refused: 400).
    "accounts/push/subscriptions/": Row(signed_in(400), method="post"),
    "accounts/push/stop/": Row(signed_in("redirect"), method="post"),
    "courses/<slug:slug>/learn/<int:lesson_id>/read/": Row(
        {"anonymous": "login", "clinician": 204, "other_clinician": 404, "educator": 404,
         "administrator": 204}, method="post",
        kwargs=lambda world: {"slug": world["online_course"].slug,
                              "lesson_id": world["online_lesson"].pk}),
}
