"""Every setting newsroom-bot reads, in one pydantic-settings class.

Values come from the environment or a ``.env`` file in the working directory, under the
names in DESIGN.md. Tests and embedders build ``Settings(...)`` directly instead of patching
the environment.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError
from bot.workhours import DEFAULT_HOURS, WorkHours

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*", re.IGNORECASE)


def parse_duration(value: object) -> timedelta:
    """Read ``90s``, ``30m``, ``24h``, ``2d`` or ``1w`` (or a number of seconds) as a timedelta."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float):
        return timedelta(seconds=float(value))
    text = str(value).strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return timedelta(seconds=float(text))
    match = _DURATION.fullmatch(text)
    if not match:
        raise ValueError(f"{value!r} is not a duration like 90s, 30m, 24h or 2d")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2).lower()])


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


class Settings(BaseSettings):
    """newsroom-bot's configuration; field aliases are the environment variable names."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    # Secrets: SecretStr keeps them out of reprs, tracebacks and logs; read with secret().
    bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    signing_secret: SecretStr | None = Field(default=None, validation_alias="SLACK_SIGNING_SECRET")
    # Many workspaces, one install: with a client id and secret, workspaces install the app
    # by OAuth (/slack/install) and each request is authorised by its workspace's tokens;
    # without them, the one SLACK_BOT_TOKEN serves one workspace.
    client_id: str | None = Field(default=None, validation_alias="SLACK_CLIENT_ID")
    client_secret: SecretStr | None = Field(default=None, validation_alias="SLACK_CLIENT_SECRET")
    # Where Slack sends people back after they approve an install: this server's public URL
    # ("https://bot.example.org"; the redirect is its /slack/oauth_redirect).
    install_url: str | None = Field(default=None, validation_alias="NEWSROOM_BOT_INSTALL_URL")
    # On uninstall, delete the workspace's ledger rows too (audit log included); otherwise
    # they are kept for export.
    purge_on_uninstall: bool = Field(
        default=False, validation_alias="NEWSROOM_BOT_PURGE_ON_UNINSTALL"
    )
    api_url: str = Field(default="https://slack.com/api/", validation_alias="SLACK_API_URL")
    db_path: str = Field(default="newsroom-bot.db", validation_alias="NEWSROOM_BOT_DB")
    nudge_after: Duration = Field(
        default=timedelta(hours=24), validation_alias="NEWSROOM_BOT_NUDGE_AFTER"
    )
    retry_every: Duration = Field(
        default=timedelta(seconds=30), validation_alias="NEWSROOM_BOT_RETRY_EVERY"
    )
    stop_timeout: Duration = Field(
        default=timedelta(seconds=10), validation_alias="NEWSROOM_BOT_STOP_TIMEOUT"
    )
    max_nudges: int = Field(default=3, ge=0, le=20, validation_alias="NEWSROOM_BOT_MAX_NUDGES")
    # Nudges falling due within this long of each other in one channel go out as one
    # message (0: each in its own thread).
    nudge_batch: Duration = Field(
        default=timedelta(hours=1), validation_alias="NEWSROOM_BOT_NUDGE_BATCH"
    )
    roundup_at: str = Field(default="09:30", validation_alias="NEWSROOM_BOT_ROUNDUP_AT")
    # How far back a new digest's figures are matched against the ledger (story memory).
    memory_days: int = Field(default=90, ge=0, le=3650, validation_alias="NEWSROOM_BOT_MEMORY_DAYS")
    timezone: str = Field(default="UTC", validation_alias="NEWSROOM_BOT_TIMEZONE")
    # When nudges may go out (in `timezone`); a channel may set its own (/digest settings).
    work_hours: str = Field(default=DEFAULT_HOURS, validation_alias="NEWSROOM_BOT_WORK_HOURS")
    fetch_allow_private: bool = Field(
        default=False, validation_alias="NEWSROOM_BOT_FETCH_ALLOW_PRIVATE"
    )

    @field_validator("api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        # slack_sdk joins method names onto base_url with urljoin: without the slash,
        # "http://host/api" + "chat.postMessage" would lose the "api" segment.
        return value if value.endswith("/") else value + "/"

    @field_validator("roundup_at")
    @classmethod
    def _roundup_time(cls, value: str) -> str:
        value = value.strip().lower()
        if value == "off" or re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", value):
            return value
        raise ValueError(f"{value!r} is not a time like 09:30, or off")

    @field_validator("work_hours")
    @classmethod
    def _work_hours(cls, value: str) -> str:
        return WorkHours.parse(value).describe()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"{value!r} is not an IANA time zone such as Europe/London") from exc
        return value

    @property
    def jobs_path(self) -> str:
        """The scheduler's SQLite file, beside the ledger (``newsroom-bot.db`` → ``…jobs.db``).

        APScheduler pickles its jobs; keeping them in their own file keeps pickles out of
        the ledger's migrations and the two writers out of each other's way.
        """
        return self._beside("jobs")

    @property
    def installations_path(self) -> str:
        """The OAuth installations (tokens) and install states, in a file of their own beside
        the ledger (``newsroom-bot.db`` → ``newsroom-bot.installations.db``): tokens stay out
        of the ledger's schema, its backups and its exports."""
        return self._beside("installations")

    def _beside(self, name: str) -> str:
        stem = self.db_path[:-3] if self.db_path.endswith(".db") else self.db_path
        return f"{stem}.{name}.db"

    @property
    def oauth(self) -> bool:
        """Whether workspaces install by OAuth (a client id and secret are set)."""
        return bool(self.client_id and self.secret("client_secret"))

    @property
    def hours(self) -> WorkHours:
        """The working hours nudges keep to, unless a channel has its own."""
        return WorkHours.parse(self.work_hours)

    def nudge_delay(self, sent: int) -> timedelta:
        """The wait before nudge number ``sent + 1``: the delay, then 2x, 4x … (backoff)."""
        return self.nudge_after * (2**sent)

    def secret(self, name: str) -> str | None:
        """The value of a secret setting (``bot_token``, ``app_token``, ``signing_secret``,
        ``client_secret``)."""
        value = getattr(self, name)
        return value.get_secret_value() if isinstance(value, SecretStr) else value

    def secrets(self) -> list[str]:
        """Every secret value set, for scrubbing logs."""
        names = ("bot_token", "app_token", "signing_secret", "client_secret")
        return [v for n in names if (v := self.secret(n))]

    def require(self, *names: str) -> None:
        """Raise ConfigError naming the first of these fields that is unset."""
        for name in names:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            if not value:
                alias = type(self).model_fields[name].validation_alias
                raise ConfigError(f"{alias} is not set (environment or .env)")


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment and ``.env``, with overrides; errors name the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "setting"
        alias = (
            Settings.model_fields[field].validation_alias
            if field in Settings.model_fields
            else field
        )
        message = str(first.get("ctx", {}).get("error") or first["msg"])
        raise ConfigError(f"{alias}: {message}") from None
