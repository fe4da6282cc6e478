# Jupyter server settings for this course. `medai lab` puts this folder on
# JUPYTER_CONFIG_PATH, so JupyterLab reads this file next to nbgrader_config.py.
#
# Pages a TA opens must work with no network. The Formgrader's submission page
# runs MathJax 2.7 (formgrade.js calls MathJax.Hub); jupyter_server_mathjax ships
# it and serves it at <base_url>static/jupyter_server_mathjax/MathJax.js (and sets
# the server's `mathjax_url` setting to that). Its pip install normally enables it
# already; this makes sure. `update` adds to the other enabled extensions instead
# of replacing them. The Formgrader's template loads that copy through
# src/medai/grading/nbconvert_templates/formgrade/mathjax.html.j2 (nbgrader 0.9's
# template ignores `mathjax_url`); see medai.grading.settings.apply.
c = get_config()  # noqa: F821  (injected by traitlets when it loads this file)
c.ServerApp.jpserver_extensions.update({"jupyter_server_mathjax": True})
