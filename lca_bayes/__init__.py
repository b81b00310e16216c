"""lca-bayes: honest error bars on the environmental impacts of machine-learning training."""

from .api import RunResult, estimate, run
from .errors import (DataFormatError, InvalidInputError, InvalidPriorError, LcaBayesError,
                     UnknownCountryError, UnknownHardwareError)
from .impacts import CRITERIA, training_impacts
from .priors import load_priors
from .propagate import make_inputs, propagate

__all__ = [
    "estimate", "run", "RunResult", "load_priors", "propagate", "make_inputs",
    "training_impacts", "CRITERIA", "LcaBayesError", "UnknownHardwareError",
    "UnknownCountryError", "InvalidInputError", "DataFormatError", "InvalidPriorError",
]
__version__ = "0.1.0"
