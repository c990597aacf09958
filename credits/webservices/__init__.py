"""Reporting to ACCME's PARS and to CE Broker by web service: one durable submission row per
thing reported (an activity, a learner's completion, a CE Broker course, publishing or roster
line), sent exactly once from a worker, retried with backoff, its answer kept as the status the
learner and the CME office see. The PARS file exports (credits.reports) stay as the fallback."""
