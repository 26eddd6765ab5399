"""A throwaway PostgreSQL cluster on a free loopback port, for the test suite.

The cluster lives in a temporary folder, runs with durability switched off (it is thrown away),
and is removed by ``stop()``. PostgreSQL refuses to run as root, so as root every server command
runs as the ``postgres`` user through ``runuser``.

Each test gets its own database copied from a migrated template (``CREATE DATABASE … TEMPLATE``),
which is far quicker than running the migrations again.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries are missing or the cluster would not start."""


def find_bin_dir() -> Path:
    """The newest installed PostgreSQL server's bin folder (Debian layout, then PATH)."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
    )
    for candidate in reversed(candidates):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) not found; "
        "install Debian's 'postgresql' package"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    """One running cluster. ``admin_url`` connects to its ``postgres`` database as superuser."""

    bin_dir: Path
    root: Path
    port: int
    user: str = "postgres"
    _run_as: list[str] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, database: str, driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://{self.user}@127.0.0.1:{self.port}/{database}"

    def conninfo(self, database: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user={self.user} dbname={database}"

    # -- lifecycle -------------------------------------------------------------------------

    @classmethod
    def start_new(cls) -> PostgresServer:
        bin_dir = find_bin_dir()
        root = Path(tempfile.mkdtemp(prefix="tobeout-pg-"))
        run_as: list[str] = []
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise PostgresUnavailable(
                    "running as root but there is no 'postgres' user"
                ) from exc
            os.chown(root, account.pw_uid, account.pw_gid)
            run_as = ["runuser", "-u", "postgres", "--"]
        server = cls(bin_dir=bin_dir, root=root, port=free_port(), _run_as=run_as)
        server._initdb()
        server.start()
        return server

    def _command(self, tool: str, *args: str) -> list[str]:
        return [*self._run_as, str(self.bin_dir / tool), *args]

    def _initdb(self) -> None:
        result = subprocess.run(
            self._command(
                "initdb",
                "-D",
                str(self.data_dir),
                "-U",
                self.user,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {result.stderr.strip() or result.stdout}")

    def start(self) -> None:
        options = " ".join(
            [
                f"-p {self.port}",
                "-h 127.0.0.1",
                f"-k {self.root}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
                "-c shared_buffers=64MB",
            ]
        )
        result = subprocess.run(
            self._command(
                "pg_ctl",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.root / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            log = self.root / "server.log"
            detail = log.read_text(errors="replace")[-2000:] if log.exists() else result.stderr
            raise PostgresUnavailable(f"PostgreSQL did not start: {detail}")
        self._wait_ready()

    def _wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self.conninfo(), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self, *, remove: bool = True) -> None:
        subprocess.run(
            self._command("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop"),
            capture_output=True,
            text=True,
            check=False,
        )
        if remove:
            shutil.rmtree(self.root, ignore_errors=True)

    def restart(self) -> None:
        """Stop and start the same cluster on the same port (clients see their connections drop)."""
        self.stop(remove=False)
        self.start()

    # -- databases -------------------------------------------------------------------------

    def create_database(self, name: str, template: str | None = None) -> str:
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            if template is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            else:
                conn.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
                        sql.Identifier(name), sql.Identifier(template)
                    )
                )
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@dataclass
class ExternalPostgres:
    """A server the developer already runs (``TOBEOUT_TEST_PG_URL``); only databases are managed."""

    admin_conninfo: str
    base_url: str

    def url(self, database: str) -> str:
        head, _, _ = self.base_url.rpartition("/")
        return f"{head}/{database}"

    def create_database(self, name: str, template: str | None = None) -> str:
        with psycopg.connect(self.admin_conninfo, autocommit=True) as conn:
            statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            if template is not None:
                statement = sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            conn.execute(statement)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.admin_conninfo, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def restart(self) -> None:
        raise PostgresUnavailable("an external server (TOBEOUT_TEST_PG_URL) is not restarted")

    def stop(self, *, remove: bool = True) -> None:
        """Nothing to stop: the developer owns the server."""


def external_from_env(url: str) -> ExternalPostgres:
    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    return ExternalPostgres(
        admin_conninfo=plain,
        base_url=url.replace("postgresql://", "postgresql+psycopg://", 1)
        if url.startswith("postgresql://")
        else url,
    )
