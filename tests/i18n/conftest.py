"""The demo, seeded once for the module, as tests/demo seeds it: the pages walked in each
language are a real clinician's, with every section of My learning filled."""
from tests.demo.conftest import demo_world, seeded  # noqa: F401  (fixtures)
