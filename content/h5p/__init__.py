"""Validation of uploaded H5P packages, free of Django so it runs anywhere.

Start with ``validate_h5p_package``; everything it refuses raises
``H5PValidationError`` with a ``code`` and a message naming the first fault.
"""

from .errors import H5PValidationError
from .libraries import LibraryInfo, LibraryRef, topological_library_order
from .limits import (
    DEFAULT_CONTENT_EXTENSIONS,
    DEFAULT_LIBRARY_ONLY_EXTENSIONS,
    DEFAULT_LIMITS,
    H5PLimits,
)
from .validation import ValidatedPackage, validate_h5p_package

__all__ = [
    "DEFAULT_CONTENT_EXTENSIONS",
    "DEFAULT_LIBRARY_ONLY_EXTENSIONS",
    "DEFAULT_LIMITS",
    "H5PLimits",
    "H5PValidationError",
    "LibraryInfo",
    "LibraryRef",
    "ValidatedPackage",
    "topological_library_order",
    "validate_h5p_package",
]
