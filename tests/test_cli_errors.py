"""A broken environment or damaged data gives one `error:` line, never a traceback, and loses nothing.

Issue 12 item 7: a read-only data or reports folder, `kpi --out` naming a
folder or a full disk (and `--out` written atomically), a bit-flipped
parquet file, a corrupt `_manifest.json` in one snapshot folder.

How the failures are made: the tests run as root, for whom `chmod 0o500`
blocks nothing. So a read-only folder is a read-only bind mount and a full
disk a tiny tmpfs, both inside a private namespace (`unshare -rm`, see
tests/support/cli_runs.py; those tests skip where that is not allowed), and
the same failures are also raised in-process by replacing the one call
that writes (monkeypatch) with one that raises the OSError the kernel
would give. A path below a regular file gives a real NotADirectoryError.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from cli_runs import SCRIPT, read_only, run_cli, run_script_in_namespace, tiny_tmpfs
from ingest_samples import CUTOFF, FIXTURES
from kpi_world import WORLD
from snapshot_builder import build_snapshot

import workbench as wb
from workbench.cli import failures
from workbench.errors import WorkbenchError
from workbench.snapshot.verify import verify

CAMPAIGN_ARGS = ["--start", "2025-11-22", "--end", "2025-12-31"]


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_snapshot(tmp_path_factory.mktemp("snapshots"), WORLD)


def one_error_line(err: str) -> str:
    """The single `error:` line of stderr (asserting there is exactly one line and no traceback)."""
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    return err.strip()


def refuse_under(monkeypatch: pytest.MonkeyPatch, folder: Path, error: int) -> None:
    """Creating a folder below `folder` fails with OSError `error`, as a read-only or foreign-owned folder does."""
    real = Path.mkdir

    def mkdir(self: Path, *args: object, **kwargs: object) -> None:
        if self.is_relative_to(folder):
            raise OSError(error, os.strerror(error), str(self))
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", mkdir)


# a read-only or full data folder ---------------------------------------------------------------

SIMULATE = ["simulate", "--seed", "1", "--scale", "10000", "--cutoff", "2025-12-07"]


def test_read_only_data_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "data" / "snapshots").mkdir(parents=True)
    done = run_script_in_namespace(read_only(home), SIMULATE, env={"WORKBENCH_HOME": str(home)})
    assert (done.returncode, done.stdout) == (1, "")
    line = one_error_line(done.stderr)
    assert line.startswith(f"error: read-only file system: {home}/data/snapshots/")
    assert line.endswith(
        "; remount it read-write, or use another folder (--out, --out-dir, or WORKBENCH_HOME for data/ and reports/)"
    )


@pytest.mark.parametrize(
    ("error", "what"), [(errno.EACCES, "permission denied"), (errno.EROFS, "read-only file system")]
)
def test_data_folder_refusing_writes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: int, what: str
) -> None:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    refuse_under(monkeypatch, tmp_path / "data", error)
    code, out, err = run_cli(capsys, *SIMULATE)
    assert (code, out) == (1, "")
    assert one_error_line(err).startswith(f"error: {what}: {tmp_path}/data/snapshots/")
    assert list(tmp_path.iterdir()) == []


def test_ingest_into_a_read_only_folder(tmp_path: Path) -> None:
    out = tmp_path / "snapshots"
    out.mkdir()
    done = run_script_in_namespace(
        read_only(out), ["ingest", str(FIXTURES), "--cutoff", CUTOFF, "--out", str(out / CUTOFF)]
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert one_error_line(done.stderr).startswith(f"error: read-only file system: {out}/")


def test_data_disk_full_halfway(tmp_path: Path) -> None:
    """Room for some order files but not all: one line naming the snapshot, and no half-written folder left."""
    home = tmp_path / "home"
    home.mkdir()
    done = run_script_in_namespace(
        tiny_tmpfs(home, "1m"),
        SIMULATE,
        after=f"find {home}/data/snapshots -mindepth 2",
        env={"WORKBENCH_HOME": str(home)},
    )
    assert done.returncode == 1
    assert one_error_line(done.stderr) == (
        f"error: no space left on the device: {home}/data/snapshots/2025-12-07; "
        "free disk space and run the command again; earlier files were left as they were"
    )
    assert done.stdout == ""  # nothing inside data/snapshots/.versions: the unfinished version was removed


def test_data_folder_below_a_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.write_text("not a folder")
    monkeypatch.setenv("WORKBENCH_HOME", str(home))
    code, out, err = run_cli(capsys, *SIMULATE)
    assert (code, out) == (2, "")
    assert one_error_line(err).startswith(f"error: part of this path is a file, not a folder: {home}/data")


# a read-only reports folder ---------------------------------------------------------------------


def test_read_only_reports_folder(snapshot: Path, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    done = run_script_in_namespace(
        read_only(reports), ["report", "--week", "2", "--snapshot", str(snapshot), "--out-dir", str(reports)]
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert one_error_line(done.stderr).startswith(f"error: read-only file system: {reports}/2026-01-10;")


def test_reports_folder_without_permission(
    capsys: pytest.CaptureFixture[str], snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    refuse_under(monkeypatch, tmp_path / "reports", errno.EACCES)
    code, out, err = run_cli(capsys, "report", "--week", "2", "--snapshot", str(snapshot))
    assert (code, out) == (1, "")
    assert one_error_line(err).startswith(f"error: permission denied: {tmp_path}/reports/2026-01-10")
    assert not (tmp_path / "reports").exists()


# only the environment's failures are translated -------------------------------------------------


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (  # pyarrow: errno set, the path only in the message
            PermissionError(
                errno.EACCES, "Failed to open local file '/d/x.parquet'. Detail: [errno 13] Permission denied"
            ),
            "permission denied: [Errno 13] Failed to open local file '/d/x.parquet'. Detail: [errno 13] Permission denied; "
            "give this user access to it, or use another folder",
        ),
        (  # polars: no errno, "(os error N)" in the message
            OSError("No space left on device (os error 28): /d/x.parquet"),
            "no space left on the device: No space left on device (os error 28): /d/x.parquet; free disk space",
        ),
        (OSError(errno.EDQUOT, "Disk quota exceeded", "/d/x.csv"), "disk quota exceeded: /d/x.csv; free space within"),
        (
            IsADirectoryError(errno.EISDIR, "Is a directory", "/d"),
            "a folder where a file was expected: /d; give a file",
        ),
        (  # DuckDB's COPY on a full disk, as DuckDB 2.0 words it
            duckdb.IOException(
                'IO Error: Async write failed for range [offset=27, size=492490]: {"exception_type":"IO",'
                '"exception_message":"Could not write file \\"/d/a.parquet\\": No space left on device","errno":"28"}'
            ),
            'no space left on the device: IO Error: Async write failed for range [offset=27, size=492490]: {"exception_type":"IO"',
        ),
    ],
)
def test_environment_failures_are_translated(error: BaseException, line: str) -> None:
    translated = failures.translate(error)
    assert translated is not None and str(translated).startswith(line)
    assert translated.exit_code == (2 if isinstance(error, IsADirectoryError) else 1)


@pytest.mark.parametrize(
    "error",
    [
        FileNotFoundError(errno.ENOENT, "No such file or directory", "/d/x"),  # a path the code got wrong is a bug
        ConnectionResetError(errno.ECONNRESET, "Connection reset by peer"),
        duckdb.IOException('IO Error: No files found that match the pattern "/d/*.parquet"'),
        ValueError("a bug"),
    ],
)
def test_other_errors_are_not_translated(error: BaseException) -> None:
    assert failures.translate(error) is None


def test_a_bug_keeps_its_traceback(
    capsys: pytest.CaptureFixture[str], snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "/nowhere/queries/x.sql")

    monkeypatch.setattr("workbench.kpi.export.to_csv", broken)
    with pytest.raises(FileNotFoundError):
        run_cli(capsys, "kpi", "channel_mix", *CAMPAIGN_ARGS, "--snapshot", str(snapshot), "--format", "csv")


# kpi --out ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_kpi_out_naming_a_folder(capsys: pytest.CaptureFixture[str], snapshot: Path, tmp_path: Path, fmt: str) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    code, out, err = run_cli(
        capsys, "kpi", "channel_mix", *CAMPAIGN_ARGS, "--snapshot", str(snapshot), "--format", fmt, "--out", str(folder)
    )
    assert (code, out) == (2, "")
    assert one_error_line(err) == (
        f"error: --out {folder} is a folder; give a file name, e.g. --out {folder / f'channel_mix.{fmt}'}"
    )
    assert list(folder.iterdir()) == []


def _half_then_disk_full(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Writes of whole files under `folder` write half their bytes, then fail as a full disk does."""
    real_text, real_bytes = Path.write_text, Path.write_bytes

    def half(path: Path, data: bytes) -> None:
        real_bytes(path, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    def write_bytes(self: Path, data: bytes) -> int:
        if self.parent != folder:
            return real_bytes(self, data)
        half(self, data)
        return 0

    def write_text(self: Path, data: str, encoding: str | None = None, **kwargs: object) -> int:
        if self.parent != folder:
            return real_text(self, data, encoding, **kwargs)  # type: ignore[arg-type]
        half(self, data.encode(encoding or "utf-8"))
        return 0

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    monkeypatch.setattr(Path, "write_text", write_text)


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_kpi_out_full_disk_keeps_the_existing_file(
    capsys: pytest.CaptureFixture[str], snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    target = tmp_path / f"mix.{fmt}"
    target.write_bytes(b"last week's export\n")
    _half_then_disk_full(monkeypatch, tmp_path)
    code, out, err = run_cli(
        capsys, "kpi", "channel_mix", *CAMPAIGN_ARGS, "--snapshot", str(snapshot), "--format", fmt, "--out", str(target)
    )
    assert (code, out) == (1, "")
    line = one_error_line(err)
    assert line.startswith(f"error: no space left on the device: {target}; free disk space")
    assert target.read_bytes() == b"last week's export\n"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left behind


def test_kpi_out_on_a_really_full_disk(snapshot: Path, tmp_path: Path) -> None:
    """A tmpfs filled to the last byte: the installed script prints one line and the old export survives."""
    disk = tmp_path / "disk"
    disk.mkdir()
    target = disk / "mix.csv"
    fill = f"printf 'old export\\n' > {target}\nhead -c 1M /dev/zero > {disk / 'filler'} 2>/dev/null || true"
    done = run_script_in_namespace(
        f"{tiny_tmpfs(disk)}\n{fill}",
        ["kpi", "channel_mix", *CAMPAIGN_ARGS, "--snapshot", str(snapshot), "--format", "csv", "--out", str(target)],
        after=f"cat {target}; ls -A {disk}",
    )
    assert done.returncode == 1, done.stderr
    line = one_error_line(done.stderr)
    assert line.startswith(f"error: no space left on the device: {target}; free disk space")
    assert done.stdout == "old export\nfiller\nmix.csv\n"


# a bit-flipped parquet file ---------------------------------------------------------------------


def _chunk(file: Path, column: str) -> pq.ColumnChunkMetaData:
    meta = pq.read_metadata(file)
    return next(c for c in (meta.row_group(0).column(i) for i in range(meta.num_columns)) if c.path_in_schema == column)


def _flip(file: Path, column: str, near: int, noticed: Callable[[duckdb.Error], bool]) -> None:
    """Flip 4 bytes of `column`'s chunk in `file`, as near byte `near` of it as gives a DuckDB error `noticed` accepts.

    The file keeps its size and its footer, so only the checksum (full
    verify) or reading that column finds it. (Some flips in a zstd page
    decode to other values without any error; the nearest one that does not
    is taken, since this tests the error line, not the detection.)
    """
    original = file.read_bytes()
    # Bit rot keeps a file's size and modification time, so the snapshot's
    # verification stamp still matches and only reading the values fails.
    times = (file.stat().st_atime_ns, file.stat().st_mtime_ns)
    chunk = _chunk(file, column)
    for distance in range(chunk.total_compressed_size):
        for at in sorted({near - distance, near + distance} & set(range(chunk.total_compressed_size - 4))):
            damaged = bytearray(original)
            for i in range(chunk.data_page_offset + at, chunk.data_page_offset + at + 4):
                damaged[i] ^= 0xFF
            file.write_bytes(bytes(damaged))
            os.utime(file, ns=times)
            try:
                duckdb.sql(f"select {column} from read_parquet('{file}')").fetchall()
            except duckdb.Error as err:
                if noticed(err):
                    return
    file.write_bytes(original)
    os.utime(file, ns=times)
    raise AssertionError(f"no flip in {column} of {file} that DuckDB notices")


def flip_a_data_page(file: Path, column: str) -> None:
    """Damage the compressed values of `column`, near the middle of its chunk."""
    _flip(file, column, _chunk(file, column).total_compressed_size // 2, lambda err: True)


def flip_a_page_header(file: Path, column: str) -> None:
    """Damage the page header of `column`: DuckDB's thrift decoder raises a bare duckdb.Error naming no file."""
    _flip(file, column, 0, lambda err: type(err) is duckdb.Error)


@pytest.fixture
def damaged_orders(tmp_path: Path) -> tuple[Path, Path]:
    """A snapshot whose biggest campaign-window order file has a damaged data page: (snapshot, file)."""
    snap = build_snapshot(tmp_path, WORLD)
    files = sorted((snap / "orders").glob("paid_date=2025-1[12]-*/*.parquet"), key=lambda f: -f.stat().st_size)
    flip_a_data_page(files[0], "paid_at")
    return snap, files[0]


def damage_message(snap: Path, file: Path) -> str:
    return f"snapshot {snap} is damaged: {file.relative_to(snap).as_posix()}: cannot be read ("


def test_bit_flipped_order_file_in_the_installed_script(damaged_orders: tuple[Path, Path]) -> None:
    snap, file = damaged_orders
    assert verify(snap, quick=True) == []  # size and footer are fine: the quick check cannot see it
    done = subprocess.run(
        [str(SCRIPT), "kpi", "channel_mix", "--snapshot", str(snap), *CAMPAIGN_ARGS, "--format", "csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    line = one_error_line(done.stderr)
    assert line.startswith(f"error: {damage_message(snap, file)}")
    assert line.endswith(f"); run `workbench snapshot verify {snap}` for the full list")


@pytest.fixture
def damaged_roll_up(tmp_path: Path) -> tuple[Path, Path]:
    """A snapshot whose daily sales roll-up has a damaged page of paid_date, which every window KPI filters on."""
    snap = build_snapshot(tmp_path, WORLD)
    file = snap / "aggregates" / "sales_daily" / "part-00000.parquet"
    flip_a_data_page(file, "paid_date")
    return snap, file


def test_bit_flipped_roll_up_file(capsys: pytest.CaptureFixture[str], damaged_roll_up: tuple[Path, Path]) -> None:
    snap, file = damaged_roll_up
    code, out, err = run_cli(capsys, "kpi", "channel_mix", *CAMPAIGN_ARGS, "--snapshot", str(snap))
    assert (code, out) == (2, "")
    assert one_error_line(err).startswith(f"error: {damage_message(snap, file)}")


def test_bit_flipped_file_in_the_python_api(damaged_orders: tuple[Path, Path]) -> None:
    snap, file = damaged_orders
    opened = wb.open(snap)
    with pytest.raises(WorkbenchError) as kpi_error:
        # promoter_types reads the order lines (the damaged paid_at), not a roll-up.
        opened.kpi("promoter_types", "2025-11-22", "2025-12-31")
    with pytest.raises(WorkbenchError) as sql_error:
        opened.sql("select max(paid_at) from orders")
    for caught in (kpi_error, sql_error):
        assert str(caught.value).startswith(damage_message(snap, file))
        assert caught.value.exit_code == 2


def test_bit_flipped_file_in_the_report(damaged_roll_up: tuple[Path, Path]) -> None:
    """What the report notebook's first cell does; render turns the error into its one `report ... failed` line."""
    from workbench.report.page import WeeklyReport
    from workbench.report.params import validate

    snap, file = damaged_roll_up
    with pytest.raises(WorkbenchError) as caught:
        WeeklyReport(validate(snap, week=1))
    assert str(caught.value).startswith(damage_message(snap, file))


def test_damaged_page_header(tmp_path: Path) -> None:
    snap = build_snapshot(tmp_path, WORLD)
    file = sorted((snap / "orders").glob("paid_date=2025-1[12]-*/*.parquet"), key=lambda f: -f.stat().st_size)[0]
    flip_a_page_header(file, "paid_at")
    with pytest.raises(
        WorkbenchError, match=rf"^snapshot {snap} is damaged: a parquet file cannot be decoded \(.+\); run"
    ):
        wb.open(snap).kpi("promoter_types", "2025-11-22", "2025-12-31")


def test_query_mistakes_are_not_called_damage(snapshot: Path, tmp_path: Path) -> None:
    opened = wb.open(snapshot)
    with pytest.raises(duckdb.ParserException):
        opened.sql("selec 1")
    with pytest.raises(duckdb.IOException):  # a file outside the snapshot: the analyst's path, not the snapshot
        opened.sql(f"select * from read_parquet('{tmp_path / 'missing.parquet'}')")


# a corrupt _manifest.json in one snapshot folder --------------------------------------------------


def _flip_a_byte(text: bytes) -> bytes:
    """The manifest with the high bit of one quote flipped: no longer UTF-8."""
    at = text.index(b'"source"')
    return text[:at] + bytes([text[at] ^ 0x80]) + text[at + 1 :]


CORRUPTIONS = {
    "truncated": (lambda text: text[: len(text) // 2], "is not valid JSON (line "),
    "bit-flipped": (_flip_a_byte, "is not UTF-8 text (byte "),
    "not an object": (lambda text: b"[]", "is not a JSON object"),
    "key missing": (lambda text: text.replace(b'"cutoff"', b'"cut_off"'), ": key(s) cutoff missing"),
}


@pytest.fixture
def two_snapshots(tmp_path: Path) -> tuple[Path, Path]:
    """(good, bad): two snapshots in one folder, the later one to be damaged by the test."""
    good = build_snapshot(tmp_path, WORLD, snapshot_date="2025-12-07")
    bad = build_snapshot(tmp_path, WORLD, snapshot_date="2025-12-08")
    return good, bad


@pytest.mark.parametrize("kind", CORRUPTIONS)
def test_snapshot_list_with_one_corrupt_manifest(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    two_snapshots: tuple[Path, Path],
    kind: str,
) -> None:
    good, bad = two_snapshots
    corrupt, message = CORRUPTIONS[kind]
    manifest = bad.resolve() / "_manifest.json"  # the version folder the dated link points to
    manifest.write_bytes(corrupt(manifest.read_bytes()))
    monkeypatch.setenv("COLUMNS", "300")
    code, out, err = run_cli(capsys, "snapshot", "list", "--root", str(good.parent))
    assert code == 1
    rows = [line for line in out.splitlines() if "2025-12-0" in line]
    assert len(rows) == 2
    assert "2025-12-07T23:59:59+08:00" in rows[0] and "hand-made:test" in rows[0] and str(good) in rows[0]
    assert "damaged" in rows[1] and str(bad) in rows[1]
    assert "Traceback" not in err and err.count("\n") == 1
    assert err.startswith(f"damaged: {manifest}") and message in err


def test_snapshot_list_with_an_unreadable_manifest(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, two_snapshots: tuple[Path, Path]
) -> None:
    """A manifest this user may not read, nor even stat (a folder without search permission)."""
    good, bad = two_snapshots
    manifest = bad.resolve() / "_manifest.json"
    real_stat = os.stat

    def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if os.fspath(path) == str(manifest):  # type: ignore[arg-type]
            raise PermissionError(errno.EACCES, "Permission denied", str(manifest))
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    real_read = Path.read_text

    def read_text(self: Path, *args: object, **kwargs: object) -> str:
        if self == manifest:
            raise PermissionError(errno.EACCES, "Permission denied", str(manifest))
        return real_read(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(Path, "read_text", read_text)
    monkeypatch.setenv("COLUMNS", "300")
    code, out, err = run_cli(capsys, "snapshot", "list", "--root", str(good.parent))
    assert code == 1
    assert str(good) in out and "unreadable" in out
    assert err == (
        f"unreadable: permission denied: {manifest}; give this user access to it, "
        "or use another folder (--out, --out-dir, or WORKBENCH_HOME for data/ and reports/)\n"
    )


def test_snapshot_list_script_with_a_corrupt_manifest(two_snapshots: tuple[Path, Path]) -> None:
    good, bad = two_snapshots
    (bad / "_manifest.json").write_text('{"snapshot_date": "2025-12-08", ')
    done = subprocess.run(
        [str(SCRIPT), "snapshot", "list", "--root", str(good.parent)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "300"},
    )
    assert done.returncode == 1
    assert str(good) in done.stdout and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"damaged: {bad.resolve() / '_manifest.json'} is not valid JSON")


def test_commands_naming_a_bit_flipped_manifest(
    capsys: pytest.CaptureFixture[str], two_snapshots: tuple[Path, Path]
) -> None:
    _, bad = two_snapshots
    manifest = bad.resolve() / "_manifest.json"
    manifest.write_bytes(_flip_a_byte(manifest.read_bytes()))
    code, out, err = run_cli(capsys, "kpi", "channel_mix", "--snapshot", str(bad))
    assert (code, out) == (2, "")
    assert one_error_line(err).startswith(f"error: {manifest} is not UTF-8 text (byte ")
