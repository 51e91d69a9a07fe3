"""Settings: safe defaults, read from ``SHOP_`` variables, unsafe values refused."""

import os

import pytest
from pydantic import ValidationError

from mock_site.settings import DEV_SECRET, Settings

STRONG_SECRET = "s" * 32


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """Each test starts with no ``SHOP_`` variables, whatever the shell has set."""
    for name in list(os.environ):
        if name.upper().startswith("SHOP_"):
            monkeypatch.delenv(name)


def test_defaults_suit_local_development():
    settings = Settings()
    assert settings.env == "development"
    assert settings.secret_key == DEV_SECRET
    assert settings.control_enabled is True
    assert settings.seller_response_hours == 48
    assert settings.message_max_length == 1000
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.worker_threads is None  # one on SQLite (mock_site/web/app.py)
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("instance/shop.db")


@pytest.mark.parametrize(
    ("variable", "value", "field", "expected"),
    [
        ("SHOP_DATABASE_URL", "sqlite:///elsewhere/test.db", "database_url",
         "sqlite:///elsewhere/test.db"),
        ("SHOP_SELLER_RESPONSE_HOURS", "72", "seller_response_hours", 72),
        ("SHOP_MESSAGE_MAX_LENGTH", "500", "message_max_length", 500),
        ("SHOP_CONTROL_ENABLED", "false", "control_enabled", False),
        ("SHOP_PORT", "8765", "port", 8765),
        ("SHOP_WORKER_THREADS", "8", "worker_threads", 8),
    ],
)
def test_environment_overrides_a_default(monkeypatch, variable, value, field, expected):
    monkeypatch.setenv(variable, value)
    assert getattr(Settings(), field) == expected


def test_production_with_the_development_secret_is_refused(monkeypatch):
    monkeypatch.setenv("SHOP_ENV", "production")
    with pytest.raises(ValidationError, match="SHOP_SECRET_KEY must be set to a secret value"):
        Settings()


def test_production_with_a_short_secret_is_refused(monkeypatch):
    monkeypatch.setenv("SHOP_ENV", "production")
    monkeypatch.setenv("SHOP_SECRET_KEY", "s" * 31)
    with pytest.raises(ValidationError, match="at least 32 characters in production"):
        Settings()


def test_production_with_a_real_secret_is_accepted(monkeypatch):
    monkeypatch.setenv("SHOP_ENV", "production")
    monkeypatch.setenv("SHOP_SECRET_KEY", STRONG_SECRET)
    assert Settings().env == "production"


def test_a_short_secret_is_fine_in_development():
    assert Settings(secret_key="short").secret_key == "short"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("seller_response_hours", 0),
        ("seller_response_hours", 24 * 30 + 1),
        ("message_max_length", 9),
        ("message_max_length", 10_001),
        ("port", 0),
        ("port", 65_536),
        ("env", "staging"),
    ],
)
def test_out_of_range_value_is_refused(field, value):
    with pytest.raises(ValidationError) as error:
        Settings(**{field: value})
    assert error.value.errors()[0]["loc"] == (field,)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SHOP_SELLER_RESPONSE_HOURS", "0"),
        ("SHOP_SELLER_RESPONSE_HOURS", "forty-eight"),
        ("SHOP_MESSAGE_MAX_LENGTH", "100000"),
        ("SHOP_CONTROL_ENABLED", "perhaps"),
    ],
)
def test_out_of_range_environment_value_is_refused(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError):
        Settings()


@pytest.mark.parametrize(("field", "value"), [("seller_response_hours", 1),
                                              ("seller_response_hours", 24 * 30),
                                              ("message_max_length", 10),
                                              ("message_max_length", 10_000)])
def test_range_limits_themselves_are_accepted(field, value):
    assert getattr(Settings(**{field: value}), field) == value


def test_settings_are_read_once_and_cannot_be_changed():
    settings = Settings()
    with pytest.raises(ValidationError):
        settings.seller_response_hours = 72
