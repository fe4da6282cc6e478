"""Execution that earlier student code cannot talk into a false pass.

nbgrader decides a test cell's score from what the kernel reports for it, and
the kernel runs the student's code first. A student could therefore install an
IPython exception handler, patch ``math.isclose`` or IPython itself, or rebind
names the tests read (``y_test``, ``np``) so that failing tests look clean.
:class:`ProtectedExecute` (nbgrader's Execute, used for autograding only)
closes those routes:

1. Before the first cell, the grader (through silent kernel requests that are
   not notebook cells) imports the modules tests rely on and snapshots them,
   the builtins, IPython's exception hooks, event callbacks and input/AST
   transformers, and the methods of IPython's shell and kernel classes.
2. After each locked setup cell, the names it bound are snapshotted.
3. Before each test cell, all of that is restored, IPython's event manager
   included, so no student callback is left to run around the test (IPython
   copies the callback list when an event fires, after the restore has pruned
   it). Then a canary, a failing assert drawn at random, must come back as an
   error. If it does not, exceptions are being swallowed: every remaining test
   cell is marked failed with ``ExecutionTampered``.
4. After each test cell, the guarded modules and classes must still be the
   ones restored: a change made while instructor code ran (a student's
   background thread re-patching ``math.isclose``) marks that test and every
   later one failed the same way.

Hidden tests and expected values live only in the grader's copy (the sandbox
keeps the student's code from reading them). What remains possible is code
that finds and edits the snapshot inside the kernel before a test runs, or a
thread that patches only while a test runs and undoes it before the check; the
canary still catches the usual outcome of the first (suppressed errors), and the
rest is left to the manual review the report's failure rates prompt.
"""

from __future__ import annotations

import asyncio
import secrets
from queue import Empty

from jupyter_core.utils import ensure_async
from nbclient.exceptions import DeadKernelError
from nbclient.util import run_sync
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute

from medai.course import sources

GUARDED_MODULES = ("builtins", "math", "numpy", "numpy.testing", "sys")

_BASELINE = """
def __medai_baseline(key, modules):
    import importlib, sys, types
    from IPython import get_ipython
    from IPython.core.interactiveshell import InteractiveShell
    ip = get_ipython()
    state = types.ModuleType(key)
    state.modules = {}
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        state.modules[name] = (module, dict(vars(module)))
    classes = [InteractiveShell, type(ip), type(ip.events)]
    try:
        from ipykernel.ipkernel import IPythonKernel
        classes.append(IPythonKernel)
    except ImportError:
        pass
    state.classes = [(c, {k: v for k, v in vars(c).items() if callable(v)}, set(vars(c)))
                     for c in classes]
    state.events = ip.events
    state.callbacks = {event: list(cbs) for event, cbs in ip.events.callbacks.items()}
    state.input_post = list(ip.input_transformers_post)
    state.input_cleanup = list(ip.input_transformer_manager.cleanup_transforms)
    state.input_line = list(ip.input_transformer_manager.line_transforms)
    state.ast = list(ip.ast_transformers)
    state.hooks = (sys.excepthook, sys.displayhook, sys.stdout, sys.stderr)
    state.names = {}
    sys.modules[key] = state
__medai_baseline(__KEY__, __MODULES__)
del __medai_baseline
"""

_BEFORE_SETUP = """
import sys as __medai_sys
__medai_sys.modules[__KEY__].before = {k: id(v) for k, v in get_ipython().user_ns.items()}
del __medai_sys
"""

_AFTER_SETUP = """
import sys as __medai_sys
__medai_state = __medai_sys.modules[__KEY__]
__medai_state.names.update({
    k: v for k, v in get_ipython().user_ns.items()
    if not k.startswith("_") and __medai_state.before.get(k) != id(v)
})
del __medai_sys, __medai_state
"""

_RESTORE = """
def __medai_restore(key):
    import sys
    state = sys.modules[key]
    ip = get_ipython()
    for module, saved in state.modules.values():
        for name, value in saved.items():
            try:
                setattr(module, name, value)
            except (AttributeError, TypeError):
                pass
    for cls, methods, names in state.classes:
        for name, value in methods.items():
            try:
                setattr(cls, name, value)
            except (AttributeError, TypeError):
                pass
        for name in set(vars(cls)) - names:
            try:
                delattr(cls, name)
            except (AttributeError, TypeError):
                pass
    ip.custom_exceptions = ()
    ip.events = state.events
    for event, callbacks in ip.events.callbacks.items():
        callbacks[:] = [c for c in callbacks if c in state.callbacks.get(event, [])]
    ip.input_transformers_post[:] = state.input_post
    ip.input_transformer_manager.cleanup_transforms[:] = state.input_cleanup
    ip.input_transformer_manager.line_transforms[:] = state.input_line
    ip.ast_transformers[:] = state.ast
    sys.excepthook, sys.displayhook, sys.stdout, sys.stderr = state.hooks
    ip.user_ns.update(state.names)
__medai_restore(__KEY__)
"""

_CHECK = """
def __medai_check(key):
    import sys
    state = sys.modules[key]
    changed = [
        f"{module.__name__}.{name}"
        for module_name, (module, saved) in state.modules.items() if module_name != "sys"
        for name, value in saved.items()
        # ipykernel swaps builtins.input in and out around every request
        if not name.startswith("_") and name != "input" and getattr(module, name, None) is not value
    ] + [
        f"{cls.__name__}.{name}"
        for cls, methods, _ in state.classes
        for name, value in methods.items() if vars(cls).get(name) is not value
    ]
    if get_ipython().events is not state.events:
        changed.append("IPython's event manager")
    if changed:
        raise RuntimeError(f"changed while a test ran: {', '.join(changed[:3])}")
__medai_check(__KEY__)
"""

TAMPERED = {
    "output_type": "error",
    "ename": "ExecutionTampered",
    "evalue": "code in this notebook suppresses errors, so its tests cannot be trusted",
    "traceback": ["ExecutionTampered: code in this notebook suppresses errors, so its tests "
                  "cannot be trusted; this test scores 0 (ask your instructor for a review)"],
}


def _code(template: str, key: str) -> str:
    """Fill a grader snippet (plain replacement: the snippets are full of braces)."""
    return template.replace("__KEY__", repr(key)).replace("__MODULES__", repr(GUARDED_MODULES))


def _kind(cell: NotebookNode) -> str:
    meta = cell.metadata.get("nbgrader", {})
    if cell.cell_type != "code":
        return "other"
    if sources.is_test(cell):
        return "test"
    if meta.get("locked") and not meta.get("grade") and not meta.get("solution"):
        return "setup"
    return "other"


class ProtectedExecute(Execute):
    """nbgrader's Execute with guarded test cells (see the module docstring)."""

    async def _silent(self, code: str) -> dict:
        """Run grader code in the kernel without a notebook cell; return the reply content."""
        msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        deadline = asyncio.get_running_loop().time() + (self.timeout or 60)
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return {"status": "timeout"}
            try:
                reply = await self.kc.get_shell_msg(timeout=min(remaining, 1.0))
            except Empty:
                # a killed kernel never answers: say so now, not at the deadline
                if not await ensure_async(self.km.is_alive()):
                    raise DeadKernelError("Kernel died") from None
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply["content"]

    async def async_execute_cell(self, cell, cell_index, execution_count=None,
                                 store_history=True):
        if not hasattr(self, "_guard_key"):
            self._guard_key = f"_medai_guard_{secrets.token_hex(8)}"
            self._tampered = False
            baseline = await self._silent(_code(_BASELINE, self._guard_key))
            if baseline.get("status") != "ok":
                raise RuntimeError(f"medai could not set up protected grading in the kernel: "
                                   f"{baseline.get('ename')}: {baseline.get('evalue')}")
        kind = _kind(cell)
        if kind == "setup":
            await self._silent(_code(_BEFORE_SETUP, self._guard_key))
        if kind == "test" and not self._tampered:
            restored = await self._silent(_code(_RESTORE, self._guard_key))
            a, b = secrets.randbelow(10**6), 10**6 + secrets.randbelow(10**6)
            canary = await self._silent(f"assert {a} == {b}")
            # A restore can only fail if student code removed the grader's state.
            self._tampered = canary.get("status") != "error" or restored.get("status") != "ok"
        cell = await super().async_execute_cell(cell, cell_index, execution_count,
                                                store_history)
        if kind == "setup":
            await self._silent(_code(_AFTER_SETUP, self._guard_key))
        if kind == "test" and not self._tampered:
            # something patched during the test itself: a thread of the student's
            check = await self._silent(_code(_CHECK, self._guard_key))
            self._tampered = check.get("status") != "ok"
        if kind == "test" and self._tampered:
            cell.outputs.append(NotebookNode(TAMPERED))
        return cell

    # nbclient binds the synchronous wrapper to its own coroutine at class
    # creation; rebind it so nbconvert's preprocess_cell reaches the override.
    execute_cell = run_sync(async_execute_cell)
