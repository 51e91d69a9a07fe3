"""Every setting of the storefront, read once from the environment (prefix ``SHOP_``)."""

import os
import secrets
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.cancellation import SELLER_RESPONSE_HOURS

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_INSTANCE = ROOT / "instance"
# The development key this project once shipped in its source. Anyone can read it, so a
# session signed with it proves nothing: it is refused in every environment.
PUBLISHED_SECRET = "development-only-secret-do-not-deploy"
MIN_SECRET_LENGTH = 32
SECRET_FILE = "secret_key"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
GUIDE_PORT = 8501


def guide_origins(port: int = GUIDE_PORT) -> tuple[str, ...]:
    """The guide's origins on ``port``; scripts/run_guide.sh sets SHOP_FRAME_ANCESTORS so."""
    return (f"http://127.0.0.1:{port}", f"http://localhost:{port}")


GUIDE_ORIGINS = guide_origins()


def default_database_url() -> str:
    return f"sqlite:///{DEFAULT_INSTANCE / 'shop.db'}"


def _comma_separated(value: object) -> object:
    """``a,b`` in an environment variable; a list when given in code."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Settings for one storefront; ``create_app(settings)`` takes one of these."""

    model_config = SettingsConfigDict(env_prefix="SHOP_", frozen=True)

    env: Literal["development", "production"] = "development"
    database_url: str = Field(default_factory=default_database_url)
    # Unset in development: a random key made on first start and kept in the instance
    # folder (``instance_secret``). Production must set its own.
    secret_key: str | None = Field(None, repr=False)
    instance_path: Path = DEFAULT_INSTANCE
    # Host names the storefront answers to (the Host header); anything else is a 400, so a
    # page on another site cannot reach it through a DNS name it controls (DNS rebinding).
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(LOOPBACK_HOSTS), min_length=1
    )
    # Addresses of reverse proxies whose X-Forwarded-For / -Proto are believed (uvicorn's
    # ``forwarded_allow_ips``). Empty: no proxy header is believed, from anywhere.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Origins that may show the buyer's pages in a frame: the guide's practice mode.
    frame_ancestors: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(GUIDE_ORIGINS)
    )
    control_enabled: bool = True
    seller_response_hours: int = Field(SELLER_RESPONSE_HOURS, ge=1, le=24 * 30)
    message_max_length: int = Field(1000, ge=10, le=10_000)
    # Practice copies one client (address) may start in a minute, the coach, the control
    # API and the trainer form together; past it, 429 and nothing is made.
    practice_copies_per_minute: int = Field(30, ge=1, le=100_000)
    # A practice copy nobody used for this long is deleted with all its rows (never the demo).
    practice_idle_minutes: int = Field(24 * 60, ge=1)
    # How often the storefront deletes idle copies and expired records (also once on
    # start); 0: only ``python -m mock_site prune`` does.
    prune_every_seconds: int = Field(15 * 60, ge=0)
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    # How many requests do their work (database, page) at the same time; the others wait
    # their turn, first come first served. Unset: one on SQLite, whose work is all CPU in
    # this process, where more threads only take turns at the GIL and each turn costs
    # (bench/README.md); AnyIO's 40 on a database server, where requests also wait on the
    # network.
    worker_threads: int | None = Field(None, ge=1, le=100)

    _split_lists = field_validator("allowed_hosts", "trusted_proxies", "frame_ancestors",
                                   mode="before")(
        _comma_separated
    )

    @field_validator("frame_ancestors")
    @classmethod
    def origins_only(cls, origins: list[str]) -> list[str]:
        for origin in origins:
            if not origin.startswith(("http://", "https://")) or any(c in origin for c in " ;,'"):
                raise ValueError(f"{origin!r} is not an origin like http://127.0.0.1:8501")
        return origins

    @model_validator(mode="after")
    def refuse_unsafe_secrets(self) -> "Settings":
        if self.secret_key == PUBLISHED_SECRET:
            raise ValueError("SHOP_SECRET_KEY is the published development key; choose a secret one")
        if self.secret_key is not None and len(self.secret_key) < MIN_SECRET_LENGTH:
            raise ValueError(f"SHOP_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters")
        if self.env == "production" and self.secret_key is None:
            raise ValueError("SHOP_SECRET_KEY must be set to a secret value in production")
        return self

    def session_secret(self) -> str:
        """The key that signs session cookies: the configured one, else the instance's own."""
        return self.secret_key or instance_secret(self.instance_path)


def instance_secret(folder: Path) -> str:
    """This installation's own random key, made on first use and kept in ``folder``.

    Two installations never share a key, and a restart keeps everyone signed in. The file
    is written under a temporary name and linked into place, so two processes starting at
    once agree on one key and neither reads a half-written file.
    """
    path = folder / SECRET_FILE
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        draft = folder / f".{SECRET_FILE}.{secrets.token_hex(8)}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process was first: use its key
        finally:
            draft.unlink()
    key = path.read_text().strip()
    if len(key) < MIN_SECRET_LENGTH or key == PUBLISHED_SECRET:
        raise ValueError(f"{path} does not hold a usable key; delete it to make a new one")
    return key
