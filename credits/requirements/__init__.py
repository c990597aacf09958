"""Licence requirements held as data, and each clinician's progress toward them."""
