"""What the test folders share: form tokens, signing in, worlds, scenario order numbers,
a restartable storefront process. Fixtures stay in the conftest that owns them."""
