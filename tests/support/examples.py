"""How many examples a property test tries, scaled by the hypothesis profile in use."""

from hypothesis import settings

HYPOTHESIS_DEFAULT_EXAMPLES = 100


def examples(usual: int) -> int:
    """``usual`` under the default profile; under ``ci`` or ``nightly`` (tests/conftest.py)
    scaled as that profile scales hypothesis's own default of 100."""
    return max(1, round(usual * settings.default.max_examples / HYPOTHESIS_DEFAULT_EXAMPLES))
