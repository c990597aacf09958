"""What a learner did in an online activity: lessons viewed, where to resume, post-test
attempts and answers (kept forever), extra attempts granted, and completion."""
