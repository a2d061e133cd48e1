"""casecoach: client-centred, strengths-based case management training and decision support."""

from casecoach.errors import CasecoachError

__all__ = ["CasecoachError", "__version__"]
__version__ = "0.1.0"
