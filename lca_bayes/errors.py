"""Error vocabulary of lca-bayes: every bad input raises one of these ``ValueError`` subclasses.

Messages name the row, the field, the bad value and what was expected.
"""

from __future__ import annotations


class LcaBayesError(ValueError):
    """Base class of every input error raised by lca-bayes."""


class UnknownHardwareError(LcaBayesError):
    """A GPU or accelerator name matches no catalogue entry nor alias."""


class UnknownCountryError(LcaBayesError):
    """A country code is not an ISO 3166 alpha-3 code with grid factors (nor WOR)."""


class InvalidInputError(LcaBayesError):
    """A numeric run input (GPU count, hours, samples) is missing, non-numeric or out of range."""


class DataFormatError(LcaBayesError):
    """A data file (Epoch CSV, catalogue, grid table) is malformed: names the row and field."""


class InvalidPriorError(LcaBayesError):
    """A priors file entry is malformed: names the entry, the field and the value."""
