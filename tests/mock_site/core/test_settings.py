"""Settings: safe defaults, read from ``SHOP_`` variables, unsafe values refused."""

import os

import pytest
from pydantic import ValidationError

from mock_site.core.settings import PUBLISHED_SECRET, SECRET_FILE, Settings, instance_secret

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
    assert settings.secret_key is None  # development: the instance folder's own key
    assert settings.allowed_hosts == ["127.0.0.1", "localhost", "[::1]"]
    assert settings.frame_ancestors == ["http://127.0.0.1:8501", "http://localhost:8501"]
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
        ("SHOP_ALLOWED_HOSTS", "shop.test, 127.0.0.1", "allowed_hosts", ["shop.test", "127.0.0.1"]),
        ("SHOP_FRAME_ANCESTORS", "https://guide.test", "frame_ancestors", ["https://guide.test"]),
        ("SHOP_FRAME_ANCESTORS", "", "frame_ancestors", []),
    ],
)
def test_environment_overrides_a_default(monkeypatch, variable, value, field, expected):
    monkeypatch.setenv(variable, value)
    assert getattr(Settings(), field) == expected


def test_production_without_a_secret_is_refused(monkeypatch):
    monkeypatch.setenv("SHOP_ENV", "production")
    with pytest.raises(ValidationError, match="SHOP_SECRET_KEY must be set to a secret value"):
        Settings()


@pytest.mark.parametrize("env", ["development", "production"])
def test_the_published_development_key_is_refused_everywhere(monkeypatch, env):
    monkeypatch.setenv("SHOP_ENV", env)
    monkeypatch.setenv("SHOP_SECRET_KEY", PUBLISHED_SECRET)
    with pytest.raises(ValidationError, match="published development key"):
        Settings()


@pytest.mark.parametrize("env", ["development", "production"])
def test_a_short_secret_is_refused_everywhere(monkeypatch, env):
    monkeypatch.setenv("SHOP_ENV", env)
    monkeypatch.setenv("SHOP_SECRET_KEY", "s" * 31)
    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings()


def test_production_with_a_real_secret_is_accepted(monkeypatch):
    monkeypatch.setenv("SHOP_ENV", "production")
    monkeypatch.setenv("SHOP_SECRET_KEY", STRONG_SECRET)
    assert Settings().env == "production"
    assert Settings().session_secret() == STRONG_SECRET


def test_development_makes_its_own_key_once_and_keeps_it(tmp_path):
    settings = Settings(instance_path=tmp_path / "instance")
    first = settings.session_secret()
    assert len(first) >= 32 and first != PUBLISHED_SECRET
    assert Settings(instance_path=tmp_path / "instance").session_secret() == first  # restart
    assert (tmp_path / "instance" / SECRET_FILE).stat().st_mode & 0o077 == 0  # owner only


def test_two_installations_never_share_a_key(tmp_path):
    assert instance_secret(tmp_path / "one") != instance_secret(tmp_path / "two")


@pytest.mark.parametrize("kept", ["", "short", PUBLISHED_SECRET])
def test_an_unusable_kept_key_is_refused_with_what_to_do(tmp_path, kept):
    (tmp_path / SECRET_FILE).write_text(kept)
    with pytest.raises(ValueError, match="delete it to make a new one"):
        instance_secret(tmp_path)


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
        ("frame_ancestors", ["*"]),
        ("frame_ancestors", ["http://guide.test 'unsafe-inline'"]),
        ("allowed_hosts", []),
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
