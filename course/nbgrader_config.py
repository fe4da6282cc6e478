# nbgrader reads this file (from this folder, or via JUPYTER_CONFIG_PATH when
# `medai lab` starts JupyterLab). Every setting comes from course.yml.
from pathlib import Path

from medai.course import manifest
from medai.grading import settings

c = get_config()  # noqa: F821  (injected by traitlets when it loads this file)
settings.apply(c, manifest.load(Path(__file__).with_name("course.yml")))
