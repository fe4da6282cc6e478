"""The one error type a person running medai can fix.

Every module raises a subclass of :class:`MedaiError` (keeping the builtin base it
had, so ``except KeyError`` in a lesson still works) with a message that says what
is wrong and what to do. The command line prints it as one line, ``medai:
<message>``, and exits with ``exit_code``; anything else is a bug in medai.
"""

from __future__ import annotations


class MedaiError(Exception):
    """Something the person running medai can fix; the message says what and how."""

    exit_code = 2
