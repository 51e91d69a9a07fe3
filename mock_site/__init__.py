"""The mock marketplace storefront: buyer pages, seller console, trainer controls."""
