"""The storefront's infrastructure: settings, the database and its tables, sign-in sessions,
and the sign-in throttle's storage."""
