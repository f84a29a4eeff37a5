"""What `kerascheck check` was asked to do: the command line, parsed, as data.

The CLI fills a CheckOptions and hands it to commands.check; nothing else is
decided in the CLI."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from kerascheck.project.settings import Settings


class OutputFormat(str, enum.Enum):
    TEXT = "text"
    CONCISE = "concise"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"


class ExitCode(enum.IntEnum):
    OK = 0  # nothing reported (or --exit-zero)
    FOUND = 1  # diagnostics remain, --diff would change something, or --exit-non-zero-on-fix fixed
    ERROR = 2  # a file could not be linted, or the options or config are wrong


@dataclass(frozen=True)
class CheckOptions:
    paths: tuple[str, ...] = ()
    # The command line's own settings, laid over each file's config.
    settings: Settings = field(default_factory=Settings)
    output_format: OutputFormat = OutputFormat.TEXT
    statistics: bool = False
    color: bool | None = None  # None: colour on a terminal
    stdin_filename: str | None = None
    isolated: bool = False  # no config file at all
    config: str | None = None  # --config: this file for every path
    diff: bool = False
    fix_only: bool = False
    add_noqa: bool = False
    show_settings: bool = False
    show_files: bool = False
    exit_zero: bool = False
    exit_non_zero_on_fix: bool = False
    quiet: bool = False
    output_file: str | None = None
    report_to_stderr: bool = False  # stdout holds something else (stdin's fixed source)
    verbose: bool = False
    jobs: int | None = None
    no_cache: bool = False

    def fixing(self, settings: Settings) -> bool:
        """Whether fixes are computed for a file with these settings: --fix
        (or `fix = true` in its config), --fix-only or --diff."""
        return settings.fix or self.fix_only or self.diff
