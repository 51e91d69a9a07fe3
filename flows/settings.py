"""The flows' settings, read once per command from the environment and passed to what
runs the flows."""

from pydantic import AnyHttpUrl, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from flows.chromium import EXECUTABLE_VARIABLES


class FlowsSettings(BaseSettings):
    """``FLOWS_BASE_URL``, ``FLOWS_BROWSER_ENDPOINT``, and the Chromium executable
    (``SHOP_CHROMIUM``, else ``CHROMIUM_PATH``)."""

    model_config = SettingsConfigDict(
        env_prefix="FLOWS_", env_ignore_empty=True, frozen=True, populate_by_name=True
    )

    # A running storefront to drive instead of starting one.
    base_url: AnyHttpUrl | None = None
    # Remote browsers, comma-separated: Playwright servers (ws://) or DevTools (http://).
    browser_endpoint: str = ""
    shop_chromium: str | None = Field(None, validation_alias="SHOP_CHROMIUM")
    chromium_path: str | None = Field(None, validation_alias="CHROMIUM_PATH")

    def storefront(self) -> str | None:
        """The base URL without its trailing slash, as Playwright joins paths to it."""
        return str(self.base_url).rstrip("/") if self.base_url else None

    def endpoints(self, option: str | None = None) -> list[str]:
        """The browsers to use: ``option`` (``--endpoint``) when given, else the setting,
        each a comma-separated list; none means local browsers."""
        text = option if option is not None else self.browser_endpoint
        return [part.strip() for part in text.split(",") if part.strip()]

    def executables(self) -> dict[str, str]:
        """The executable settings that are set, by variable (``find_chromium`` reads them)."""
        paths = (self.shop_chromium, self.chromium_path)
        return {name: path for name, path in zip(EXECUTABLE_VARIABLES, paths, strict=True) if path}
