"""A JupyterHub for the course, derived from course.yml and the roster.

`medai hub` writes ``jupyterhub_config.py`` (which calls :func:`configure`, so
the hub always follows course.yml) and a Zero to JupyterHub values file for
Kubernetes. Roles follow nbgrader's multi-course conventions: everyone in
``nbgrader-<course>``, graders also in ``formgrade-<course>``; graders start
the instructor's JupyterLab in the course checkout, students a workspace in
their home with the student tools only (:mod:`medai.delivery.student`).
"""

from __future__ import annotations

import grp
import os
import shutil
import subprocess
import sys
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Dict, Unicode

from medai.course.manifest import Manifest
from medai.delivery import exchange, roster


def groups(course_id: str) -> tuple[str, str]:
    """nbgrader's group names: every member of the course, and its graders."""
    return f"nbgrader-{course_id}", f"formgrade-{course_id}"


class CourseSpawner(LocalProcessSpawner):
    """Local processes as each user's Unix account, started in their role."""

    roles = Dict(help="username -> instructor, ta or student").tag(config=True)
    course_yml = Unicode(help="the instructor's course.yml on this machine").tag(config=True)
    course_id = Unicode().tag(config=True)
    exchange_root = Unicode().tag(config=True)
    medai = Unicode(help="path of the medai command").tag(config=True)
    course_language = Unicode("en", help="the language students get unless they choose "
                              "(course.language)").tag(config=True)

    def role(self) -> str:
        return self.roles.get(self.user.name, "student")

    def make_preexec_fn(self, name):
        """Put the server (and so its kernels) in a memory cgroup before it becomes the user:
        the pod's 1 GB on a plain server."""
        become_user = super().make_preexec_fn(name)
        group = memory_cgroup(name, self.mem_limit) if self.mem_limit else None
        if group is None and self.mem_limit:
            self.log.warning("no writable memory cgroup: %s's server is not held to %s",
                             name, self.mem_limit)

        grader = self.role() in ("instructor", "ta")

        def preexec():
            if group is not None:
                (group / "cgroup.procs").write_text(str(os.getpid()))
            if grader:  # files graders make in the course folder stay the graders' group's
                os.umask(0o007)
            become_user()

        return preexec

    def get_env(self):
        env = super().get_env()
        env.update(MEDAI_EXCHANGE=self.exchange_root, MEDAI_COURSE_ID=self.course_id,
                   MEDAI_COURSE_LANGUAGE=self.course_language)
        # no umask from the hub's environment: submissions and feedback get nbgrader's modes
        return env

    async def start(self):
        if self.role() in ("instructor", "ta"):
            self.cmd = [self.medai, "--course", self.course_yml, "lab", "--hub"]
        else:
            # the home is the workspace: lessons/ and <course_id>/<assignment>/
            self.cmd = [self.medai, "student", "start", "~", "--hub"]
        return await super().start()


CGROUPS = Path("/sys/fs/cgroup")


def memory_cgroup(name: str, limit_bytes: int, root: Path = CGROUPS) -> Path | None:
    """A memory cgroup ``medai/<name>`` limited to ``limit_bytes`` (cgroup v2, else v1's
    memory hierarchy); None where neither can be written (not root, no controller)."""
    v2 = root / "cgroup.controllers"
    candidates = []
    if v2.is_file() and "memory" in v2.read_text().split():
        candidates.append((root / "medai", "memory.max", "+memory"))
    candidates.append((root / "memory" / "medai", "memory.limit_in_bytes", None))
    for parent, limit_file, enable in candidates:
        try:
            parent.mkdir(exist_ok=True)
            if enable:
                (parent / "cgroup.subtree_control").write_text(enable)
            group = parent / name
            group.mkdir(exist_ok=True)
            (group / limit_file).write_text(str(int(limit_bytes)))
            return group
        except OSError:
            continue
    return None


def configure(c, m: Manifest, members: list[roster.Member], state: Path) -> None:
    """Fill a JupyterHub config for this course (called by the generated config file)."""
    everyone, graders = groups(m.course_id)
    state.mkdir(parents=True, exist_ok=True)
    c.JupyterHub.bind_url = m.hub["url"]
    c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
    c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
    # `make` installs the proxy inside the environment; else one on PATH
    local = Path(sys.prefix) / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    proxy = str(local) if local.exists() else shutil.which("configurable-http-proxy") or str(local)
    c.ConfigurableHTTPProxy.command = [proxy]
    c.JupyterHub.spawner_class = CourseSpawner
    c.Authenticator.allowed_users = {x.username for x in members}
    c.Authenticator.admin_users = {x.username for x in members if x.role == "instructor"}
    c.JupyterHub.load_groups = {
        everyone: {"users": sorted(x.username for x in members)},
        graders: {"users": sorted(x.username for x in members if x.grades)},
    }
    c.CourseSpawner.roles = {x.username: x.role for x in members}
    c.CourseSpawner.course_yml = str(m.path)
    c.CourseSpawner.course_id = m.course_id
    c.CourseSpawner.course_language = m.language
    c.CourseSpawner.exchange_root = str(exchange.configured(m))
    c.CourseSpawner.medai = str(Path(sys.executable).with_name("medai"))
    c.Spawner.default_url = "/lab"
    c.Spawner.http_timeout = 120
    c.Spawner.start_timeout = 120
    # Kubernetes enforces it (values.yaml); on one server CourseSpawner puts each server
    # and its kernels in a memory cgroup of this size, where the kernel allows it.
    c.Spawner.mem_limit = f"{m.hub['memory_limit_mb']}M"
    minutes = m.hub["idle_cull_minutes"]
    c.JupyterHub.services = [{
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                    f"--timeout={minutes * 60}"],
    }]
    c.JupyterHub.load_roles = [{
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }]


CONFIG_TEMPLATE = '''\
# JupyterHub for {course_id}, written by `medai hub` from {course_yml}
# and the roster {roster}. Regenerate it after changing either; do not edit.
# Start (as root, so that each user's server runs as their own account):
#   {python} -m jupyterhub -f {config}
from pathlib import Path

from medai.course import manifest
from medai.delivery import hub, roster

c = get_config()  # noqa: F821
hub.configure(
    c,
    manifest.load({course_yml!r}),
    roster.read(Path({roster!r})),
    state=Path({state!r}),
)
'''


def write(m: Manifest, members_file: Path, destination: Path) -> list[Path]:
    """Write jupyterhub_config.py and the Kubernetes values; return the files written."""
    members = roster.read(members_file)  # fail now, not when the hub starts
    destination.mkdir(parents=True, exist_ok=True)
    config = destination / "jupyterhub_config.py"
    config.write_text(CONFIG_TEMPLATE.format(
        course_id=m.course_id, course_yml=str(m.path), roster=str(members_file.resolve()),
        python=sys.executable, config=config, state=str(destination / "state"),
    ), encoding="utf-8")
    values = destination / "z2jh-values.yaml"
    values.write_text(kubernetes_values(m, members), encoding="utf-8")
    return [config, values]


def kubernetes_values(m: Manifest, members: list[roster.Member]) -> str:
    """Zero to JupyterHub values: the exchange on a ReadWriteMany volume, 1 GB pods."""
    import yaml

    everyone, graders = groups(m.course_id)
    exchange_path = str(exchange.configured(m))
    mb = m.hub["memory_limit_mb"]
    hook = (
        "from medai.delivery import hub\n"
        "roles = " + repr({x.username: x.role for x in members}) + "\n"
        "def pre_spawn(spawner):\n"
        "    role = roles.get(spawner.user.name, 'student')\n"
        "    spawner.environment.update(MEDAI_EXCHANGE=" + repr(exchange_path)
        + ", MEDAI_COURSE_ID=" + repr(m.course_id) + ")\n"
        "    if role == 'student':\n"
        "        spawner.cmd = ['medai', 'student', 'start', '~', '--hub']\n"
        "    else:\n"
        "        spawner.cmd = ['medai', '--course', '/srv/course/course/course.yml', 'lab',"
        " '--hub']\n"
        "c.KubeSpawner.pre_spawn_hook = pre_spawn\n"
    )
    values = {
        "hub": {
            "config": {
                "Authenticator": {
                    "allowed_users": sorted(x.username for x in members),
                    "admin_users": sorted(x.username for x in members
                                          if x.role == "instructor"),
                },
                "JupyterHub": {"load_groups": {
                    everyone: {"users": sorted(x.username for x in members)},
                    graders: {"users": sorted(x.username for x in members if x.grades)},
                }},
            },
            "extraConfig": {"medai-roles": hook},
        },
        "singleuser": {
            "image": {"name": f"medai-course/{m.course_id}", "tag": "latest"},
            "memory": {"limit": f"{mb}M", "guarantee": f"{mb}M"},
            "cpu": {"limit": 2, "guarantee": 0.5},
            "storage": {
                "extraVolumes": [{"name": "exchange",
                                  "persistentVolumeClaim": {"claimName": "nbgrader-exchange"}}],
                "extraVolumeMounts": [{"name": "exchange", "mountPath": exchange_path}],
            },
        },
        "cull": {"enabled": True, "timeout": m.hub["idle_cull_minutes"] * 60},
        # the ReadWriteMany claim, for `kubectl apply -f` (not part of the chart's values)
        "x-medai-exchange-claim": {
            "apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": "nbgrader-exchange"},
            "spec": {"accessModes": ["ReadWriteMany"],
                     "resources": {"requests": {"storage": "20Gi"}}},
        },
    }
    header = (f"# Zero to JupyterHub values for {m.course_id}, written by `medai hub`.\n"
              "# Not run here (no cluster): checked only as YAML by the tests.\n")
    return header + yaml.safe_dump(values, sort_keys=False, allow_unicode=True)


def setup_system(m: Manifest, members: list[roster.Member]) -> list[str]:
    """As root: the shared exchange, nbgrader's two groups, and the course checkout
    readable by graders only. Returns what was done, one line each."""
    done = []
    root = exchange.ensure(m)
    done.append(f"exchange {root} (mode 1777)")
    everyone, graders = groups(m.course_id)
    for group, users in ((everyone, members), (graders, [x for x in members if x.grades])):
        try:
            grp.getgrnam(group)
        except KeyError:
            subprocess.run(["groupadd", group], check=True)
            done.append(f"group {group} created")
        for member in users:
            subprocess.run(["usermod", "-aG", group, member.username], check=True)
    folder = m.root  # the checkout the hub serves to graders
    if folder.is_dir():
        gid = grp.getgrnam(graders).gr_gid
        shared = [m.path.parent, m.course_directory, *{x.source.parent.parent for x in
                                                     m.lessons if x.source}]
        for path in (folder, *(p for top in shared for p in (top, *top.rglob("*")))):
            if path.is_symlink():
                continue
            os.chown(path, -1, gid)
            mode = path.stat().st_mode
            # graders read and write everything; new files and folders keep the group
            path.chmod((mode | 0o2070) & 0o2777 if path.is_dir() else (mode | 0o060) & 0o777)
        exchange.protect_course_directory(m)
        done.append(f"{folder}: group {graders}; {m.course_directory.name}/ closed to others")
    for member in members:  # a home holds fetched work and feedback: its owner's only
        home = Path(os.path.expanduser(f"~{member.username}"))
        if home.is_dir() and home.stat().st_mode & 0o077:
            home.chmod(0o700)
            done.append(f"{home}: mode 700")
    return done
