"""The flows' settings, read once from the environment (prefix ``FLOWS_``)."""

from pydantic import AnyHttpUrl
from pydantic_settings import BaseSettings, SettingsConfigDict


class FlowsSettings(BaseSettings):
    """``FLOWS_BASE_URL``: a running storefront to drive instead of starting one."""

    model_config = SettingsConfigDict(env_prefix="FLOWS_", frozen=True)

    base_url: AnyHttpUrl | None = None

    def storefront(self) -> str | None:
        """The base URL without its trailing slash, as Playwright joins paths to it."""
        return str(self.base_url).rstrip("/") if self.base_url else None
