"""What the register of MSE acts tells the apps.

``act_registered`` is sent with ``sender=MseAct, act=<MseAct>`` once the act's transaction has
committed (``transaction.on_commit``): a receiver never sees an act that is rolled back, and one
that raises is logged and does not undo the registration. The benefits app offers its application
from it (S-7).
"""

from __future__ import annotations

from django.dispatch import Signal

act_registered = Signal()
