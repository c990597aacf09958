"""The demo, seeded once per test module as tests/demo seeds it, for the tests that read every
cached part on a learner with every kind of state."""
from tests.demo.conftest import demo_world, seeded  # noqa: F401  (fixtures)
