"""Pictures: annotating screenshots, comparing them with their baselines, their files."""
