"""Test setup: JAX on the CPU; every random result comes from an explicit seed."""

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")
