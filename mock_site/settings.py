"""Every setting of the storefront, read once from the environment (prefix ``SHOP_``)."""

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "development-only-secret-do-not-deploy"


def default_database_url() -> str:
    return f"sqlite:///{ROOT / 'instance' / 'shop.db'}"


class Settings(BaseSettings):
    """Settings for one storefront; ``create_app(settings)`` takes one of these."""

    model_config = SettingsConfigDict(env_prefix="SHOP_", frozen=True)

    env: Literal["development", "production"] = "development"
    database_url: str = Field(default_factory=default_database_url)
    secret_key: str = DEV_SECRET
    control_enabled: bool = True
    seller_response_hours: int = Field(48, ge=1, le=24 * 30)
    message_max_length: int = Field(1000, ge=10, le=10_000)
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    # How many requests do their work (database, page) at the same time; the others wait
    # their turn, first come first served. Unset: one on SQLite, whose work is all CPU in
    # this process, where more threads only take turns at the GIL and each turn costs
    # (bench/README.md); AnyIO's 40 on a database server, where requests also wait on the
    # network.
    worker_threads: int | None = Field(None, ge=1, le=100)

    @model_validator(mode="after")
    def refuse_unsafe_production(self) -> "Settings":
        if self.env == "production" and self.secret_key == DEV_SECRET:
            raise ValueError("SHOP_SECRET_KEY must be set to a secret value in production")
        if self.env == "production" and len(self.secret_key) < 32:
            raise ValueError("SHOP_SECRET_KEY must be at least 32 characters in production")
        return self
