"""The whole term on a real JupyterHub, through a real browser, with real Unix accounts.

`medai hub --setup` writes the hub's configuration from course.yml and a roster and
prepares the machine; JupyterHub (PAM login, each server as its user's own account)
runs on loopback; Debian's chromium, driven by Playwright, plays the instructor and
two students: Generate and Release in the Formgrader, Fetch, answer, Validate and
Submit in the Assignments panel, Fetch Feedback. Between them the instructor's
`medai collect`, `medai grade` and `medai feedback --release` run as the instructor.

Run alone with `pytest -m hub`. Needs root (CI is root): it creates three accounts
and two groups, and removes them at the end. Screenshots and the time of each
step go to tests/artifacts/hub/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from helpers import REPO, copy_course, mutant_answers

import medai
from medai.course import manifest
from medai.grading import leaks

pytestmark = [pytest.mark.slow, pytest.mark.server, pytest.mark.hub]
ARTIFACTS = REPO / "tests" / "artifacts" / "hub"
INSTRUCTOR, TA, RIGHT, WRONG = "mdi_prof", "mdi_ta", "mdi_stu1", "mdi_stu2"
USERS = (INSTRUCTOR, TA, RIGHT, WRONG)
PASSWORDS = {u: f"pw-{u}-7Qx" for u in USERS}
# a cell that says "a1" and nothing else (a substring would also match a10)
ONLY_A1 = re.compile(r"^\s*a1\s*$")
A1 = "a1_diagnostic_metrics"
TIMES: dict[str, float] = {}


class step:
    """Time a step of the term and keep a screenshot of how it ended."""

    def __init__(self, name: str, page=None):
        self.name, self.page = name, page

    def __enter__(self):
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc):
        TIMES[self.name] = round(time.monotonic() - self.started, 2)
        if self.page is not None:
            slug = re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")
            self.page.screenshot(path=str(ARTIFACTS / f"{len(TIMES):02d}-{slug}.png"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(*command: str, user: str | None = None, cwd: Path | None = None,
        check: bool = True) -> subprocess.CompletedProcess:
    if user:
        command = ("runuser", "-u", user, "--", "env", f"HOME={pwd.getpwnam(user).pw_dir}",
                   f"PATH={Path(sys.executable).parent}:/usr/bin:/bin", *command)
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if check and result.returncode:
        raise AssertionError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def remove_accounts(course_id: str) -> None:
    for user in USERS:
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        subprocess.run(["pkill", "-KILL", "-u", user], capture_output=True)
        subprocess.run(["userdel", "-r", user], capture_output=True)
    for user in USERS:  # the servers' memory cgroups, empty once their processes are gone
        for parent in (Path("/sys/fs/cgroup/memory/medai"), Path("/sys/fs/cgroup/medai")):
            group = parent / user
            for _ in range(50):
                try:
                    group.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # still holds a dying process
                    time.sleep(0.1)
    for parent in (Path("/sys/fs/cgroup/memory/medai"), Path("/sys/fs/cgroup/medai")):
        with contextlib.suppress(OSError):
            parent.rmdir()  # unless another course's servers use it
    for group in (f"nbgrader-{course_id}", f"formgrade-{course_id}"):
        subprocess.run(["groupdel", group], capture_output=True)


@pytest.fixture(scope="module")
def hub():
    if os.geteuid() != 0:
        pytest.skip("creates Unix accounts and runs JupyterHub as root (CI does)")
    for tool in ("/usr/bin/chromium", "bwrap"):
        assert shutil.which(tool), f"{tool} is missing: run `make test` (it installs it)"
    with contextlib.ExitStack() as cleanup:  # undone whatever step fails
        yield _start_hub(cleanup)


def _start_hub(cleanup: contextlib.ExitStack) -> dict:
    medai = Path(sys.executable).with_name("medai")
    for folder, mode in _open_the_way(medai, REPO / "src").items():
        cleanup.callback(folder.chmod, mode)
    reachable = subprocess.run(["runuser", "-u", "nobody", "--", str(medai), "--help"],
                               capture_output=True, text=True)
    assert reachable.returncode == 0, (
        f"other accounts cannot run {medai} ({reachable.stderr.strip()[-200:]}): a hub's "
        "environment must be readable by every user; `make` builds it from /usr/bin/python3")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    base = Path(tempfile.mkdtemp(prefix="medai-hub-"))
    cleanup.callback(shutil.rmtree, base, ignore_errors=True)
    base.chmod(0o755)
    course_id = manifest.load(REPO / "course" / "course.yml").course_id
    remove_accounts(course_id)
    cleanup.callback(remove_accounts, course_id)
    homes = base / "home"
    homes.mkdir()
    for user in USERS:
        run("useradd", "-m", "-b", str(homes), "-s", "/bin/bash", user)
    subprocess.run(["chpasswd"], input="".join(f"{u}:{p}\n" for u, p in PASSWORDS.items()),
                   text=True, check=True)
    port = free_port()
    course_yml = copy_course(base / "srv" / course_id)
    text = course_yml.read_text().replace("exchange: exchange", f"exchange: {base}/exchange")
    course_yml.write_text(text.replace('url: "http://127.0.0.1:8000/"',
                                       f'url: "http://127.0.0.1:{port}/"'))
    (base / "srv").chmod(0o755)
    owner = pwd.getpwnam(INSTRUCTOR)
    for path in (course_yml.parents[1], *course_yml.parents[1].rglob("*")):
        os.chown(path, owner.pw_uid, owner.pw_gid)
    roster = base / "roster.csv"
    roster.write_text("username,role,first_name,last_name,email\n"
                      f"{INSTRUCTOR},instructor,Jiwon,Kim,\n{TA},ta,Minseo,Lee,\n"
                      f"{RIGHT},student,Hyunwoo,Park,\n"
                      f"{WRONG},student,Seoyeon,Choi,\n")
    with step("medai hub --setup"):
        run(str(medai), "--course", str(course_yml), "hub", "--roster", str(roster),
            "--to", str(base / "hub"), "--setup")
    log = cleanup.enter_context((base / "hub.log").open("w"))
    cleanup.callback(_keep_artifacts, base)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
    with step("hub start"):
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(base / "hub" / "jupyterhub_config.py"),
             f"--JupyterHub.hub_port={free_port()}",
             f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{free_port()}"],
            cwd=base / "hub", stdout=log, stderr=subprocess.STDOUT, env=env,
            start_new_session=True)
        cleanup.callback(_stop, process)
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/hub/api", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((base / "hub.log").read_text()[-4000:]) from None
                time.sleep(0.3)
    return {"url": f"http://127.0.0.1:{port}", "course": manifest.load(course_yml),
            "course_yml": course_yml, "base": base}


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # the hub stops every user's server
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _keep_artifacts(base: Path) -> None:
    shutil.copy(base / "hub.log", ARTIFACTS / "hub.log")
    (ARTIFACTS / "timings.json").write_text(json.dumps(TIMES, indent=1) + "\n")
    print("\nhub test steps (s):", json.dumps(TIMES, indent=1))


def _open_the_way(*paths: Path) -> dict[Path, int]:
    """Let other accounts pass through (x, never r) the folders above the environment and
    the sources, for this test only (a checkout in a private folder, as CI may make);
    returns the modes to put back."""
    opened = {}
    for path in paths:
        for folder in reversed(path.resolve().parents):
            mode = folder.stat().st_mode & 0o7777
            if not mode & 0o001 and folder not in opened:
                opened[folder] = mode
                folder.chmod(mode | 0o001)
    return opened


def log_in(browser, url: str, user: str):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(f"{url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", PASSWORDS[user])
    with step(f"{user} logs in and the server starts", page):
        page.click("#login_submit")
        page.wait_for_url(re.compile(rf"/user/{user}/lab"), timeout=120_000)
        page.wait_for_selector(".jp-DirListing-item", timeout=120_000)
    return page


def modal_ok(page, what: str) -> None:
    page.wait_for_selector("#success-modal, #error-modal", state="visible", timeout=120_000)
    assert not page.locator("#error-modal").count(), \
        f"{what} failed: {page.inner_text('#error-modal')}"
    page.wait_for_timeout(400)


def open_assignments(page) -> None:
    news = page.locator(".jp-toast-button", has_text="No")
    if news.count():
        news.first.click()
    page.click("#jp-MainMenu >> text=Nbgrader")
    page.click(".lm-Menu-content >> text=Assignment List")
    page.wait_for_selector("#nbgrader-assignment-list")


def answer_and_submit(page, user: str, answer: str, workspace: Path) -> None:
    open_assignments(page)
    with step(f"{user} fetches a1", page):
        page.locator("#released_assignments_list button", has_text="Fetch").click()
        page.locator("#fetched_assignments_list > .list_item", has_text="a1").wait_for()
    with step(f"{user} answers question 1 and saves", page):
        item = page.locator("#fetched_assignments_list > .list_item", has_text="a1")
        item.locator("a.assignment-notebooks-link").click()
        page.locator("#fetched_assignments_list .nested_list_item a", has_text=A1).first.click()
        notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        notebook.locator(".jp-Cell").first.wait_for()
        page.locator(".jp-StatusBar-Widget", has_text="Idle").first.wait_for()
        cell = notebook.locator(".jp-CodeCell", has_text="def diagnostic_metrics").first
        cell.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(answer)
        page.keyboard.press("Escape")
        page.keyboard.press("Control+s")
        saved = workspace / f"{A1}.ipynb"
        marker = answer.strip().splitlines()[-1].strip()
        for _ in range(100):
            if marker in saved.read_text(encoding="utf-8"):
                break
            time.sleep(0.2)
        else:
            raise AssertionError(f"the answer never reached {saved}")
        # the file is written before JupyterLab hears that the save is done; Validate
        # saves again, and on a busy machine it would find the file "changed on disk"
        page.locator(".lm-TabBar-tab.jp-mod-dirty").wait_for(state="detached")
    with step(f"{user} validates", page):
        page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar").get_by_text(
            "Validate", exact=True).click()
        page.locator(".jp-Dialog").wait_for(timeout=120_000)
        page.locator(".jp-Dialog-content", has_text=re.compile("fail|Success|passes"))\
            .wait_for(timeout=120_000)
    page.keyboard.press("Escape")
    with step(f"{user} submits", page):
        page.click(".lm-TabBar-tab >> text=Assignments")
        page.locator("#fetched_assignments_list button", has_text="Submit").click()
        page.locator("#submitted_assignments_list > .list_item", has_text="a1").wait_for()


def test_a_term_on_the_hub(hub, browser):
    url, m = hub["url"], hub["course"]
    medai_cli = str(Path(sys.executable).with_name("medai"))
    instructor = log_in(browser, url, INSTRUCTOR)
    instructor.get_by_text("Create Assignment").first.wait_for()  # the instructor's tools
    formgrader = instructor.context.new_page()  # its own tab (JupyterHub >= 4.1)
    with step("instructor opens the Formgrader", formgrader):
        formgrader.goto(f"{url}/user/{INSTRUCTOR}/formgrader")
        row = formgrader.locator("#main-table tr",
                                 has=formgrader.locator("td.name", has_text=ONLY_A1))
        row.locator("td.assign a").wait_for()
        assert "None" not in row.locator("td.duedate").inner_text(), "due date from course.yml"
        assert "Current configuration" not in formgrader.content()
    with step("instructor generates a1", formgrader):
        row.locator("td.assign a").click()
        modal_ok(formgrader, "generate")
        formgrader.click("#success-modal .modal-footer button.close")
        formgrader.wait_for_selector("#success-modal", state="detached")
    with step("instructor releases a1", formgrader):
        row.locator("td.release a").click()
        modal_ok(formgrader, "release")
        formgrader.click("#success-modal .modal-footer button.close")
        row.locator("td.status", has_text="released").wait_for()

    answers = {RIGHT: _reference_answer(m), WRONG: mutant_answers(
        "swapped_sensitivity_denominator")["q1_answer"]}
    pages = {}
    for user, answer in answers.items():
        page = pages[user] = log_in(browser, url, user)
        home = Path(pwd.getpwnam(user).pw_dir)
        assert (home / "lessons").is_dir(), "the published lessons are in the workspace"
        _check_memory_limit(user, m.hub["memory_limit_mb"])
        assert not page.request.get(f"{url}/user/{user}/formgrader").ok, "no Formgrader"
        assert not page.get_by_text("Create Assignment").count(), "no instructor sidebar"
        answer_and_submit(page, user, answer, home / m.course_id / "a1")

    ta = log_in(browser, url, TA).context.new_page()
    with step("the TA opens the Formgrader", ta):
        ta.goto(f"{url}/user/{TA}/formgrader")
        ta.locator("#main-table tr", has=ta.locator("td.name", has_text=ONLY_A1)).locator(
            "td.status", has_text="released").wait_for()
        assert ta.locator("#main-table td.name").count() == len(m.ready_assignments())

    root = m.path.parents[1]
    with step("instructor: medai collect a1"):
        out = run(medai_cli, "collect", "a1", user=INSTRUCTOR, cwd=root).stdout
        assert RIGHT in out and WRONG in out
    with step("instructor: medai grade a1"):
        out = run(medai_cli, "grade", "a1", "--workers", "2", user=INSTRUCTOR, cwd=root).stdout
        assert "2 submissions: 2 graded now" in out and "0 failed" in out, out
    with step("instructor: medai feedback a1 --release"):
        run(medai_cli, "feedback", "a1", "--release", user=INSTRUCTOR, cwd=root)

    hidden = leaks.secret_lines(_source_notebook(m), kinds=("hidden",))
    scores = {}
    for user, page in pages.items():
        with step(f"{user} fetches feedback", page):
            page.click(".lm-TabBar-tab >> text=Assignments")
            page.click("#refresh_assignments_list")
            page.locator("#submitted_assignments_list button", has_text="Fetch Feedback").click()
            page.locator("#submitted_assignments_list", has_text="view feedback").wait_for()
        home = Path(pwd.getpwnam(user).pw_dir)
        feedback = list((home / m.course_id / "a1" / "feedback").rglob("*.html"))
        assert len(feedback) == 1, f"{user} has their own feedback page"
        html = feedback[0].read_text()
        assert not leaks.find_leaks(html, hidden), "feedback shows no hidden test"
        assert "cdnjs" not in html and "<script src=\"http" not in html, "works offline"
        assert f"medai-course {medai.__version__}" in html, "the version the work came from"
        scores[user] = float(re.search(r"Score: ([0-9.]+) / ([0-9.]+)", html)[1])
        with step(f"{user} reads feedback", page):
            page.goto(f"{url}/user/{user}/files/{m.course_id}/a1/feedback/"
                      f"{feedback[0].parent.name}/{feedback[0].name}")
            page.get_by_text("Score").first.wait_for()
    assert scores[RIGHT] > scores[WRONG] == 0.0, scores

    # what the second student can reach of the first one's work and of the instructor's
    exchange_inbound = Path(m.exchange) / m.course_id / "inbound"
    assert run("ls", str(exchange_inbound), user=WRONG, check=False).returncode != 0
    right_home = Path(pwd.getpwnam(RIGHT).pw_dir)
    assert run("cat", str(right_home / m.course_id / "a1" / f"{A1}.ipynb"), user=WRONG,
               check=False).returncode != 0
    for secret in (m.course_directory / "source" / "a1" / f"{A1}.py",
                   m.course_directory / "gradebook.db"):
        assert secret.exists()
        assert run("cat", str(secret), user=WRONG, check=False).returncode != 0, secret
    other = pages[WRONG].request.get(f"{url}/user/{RIGHT}/api/contents/{m.course_id}/a1")
    assert other.status == 403, "the hub keeps each student's server to its owner"
    with step("second student tries the first one's server", pages[WRONG]):
        pages[WRONG].goto(f"{url}/user/{RIGHT}/lab")
        pages[WRONG].get_by_text("403").first.wait_for()


def _check_memory_limit(user: str, megabytes: int) -> None:
    """The user's server runs in a memory cgroup of the course's size, where the machine
    lets root make one (v1 here); elsewhere the hub warns in its log instead."""
    server = run("pgrep", "-u", user, "-f", "jupyterhub-singleuser").stdout.split()[0]
    lines = Path(f"/proc/{server}/cgroup").read_text().splitlines()
    groups = {fields[1]: fields[2] for fields in (line.split(":", 2) for line in lines)}
    path = groups.get("memory") or groups.get("")
    if not path or not path.startswith("/medai/"):
        assert not (Path("/sys/fs/cgroup/memory").is_dir() and os.access(
            "/sys/fs/cgroup/memory", os.W_OK)), f"{user}'s server is in no medai cgroup"
        print(f"memory cgroups cannot be written here; {user}'s server is not limited")
        return
    base = Path("/sys/fs/cgroup/memory") if groups.get("memory") else Path("/sys/fs/cgroup")
    limit_file = "memory.limit_in_bytes" if groups.get("memory") else "memory.max"
    limit = int((base / path.lstrip("/") / limit_file).read_text())
    assert limit == megabytes * 1024 * 1024, f"{user}'s server may use {limit} bytes"


def _source_notebook(m):
    from medai.course import sources

    return sources.read_source(m.assignment_sources(m.assignment("a1"))[0])


def _reference_answer(m) -> str:
    from medai.grading.qa import reference_answers

    return reference_answers(m.assignment_sources(m.assignment("a1"))[0])["q1_answer"]
