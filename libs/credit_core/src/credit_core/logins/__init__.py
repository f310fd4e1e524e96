"""Sign-ins, one implementation for every service: the password check, its throttling and
its cost bound.

- ``throttle``: growing delays per source address and per account, kept in the database (so
  every replica sees them), which an attacker cannot turn into a lock-out of the owner;
- ``checks``: argon2 checks in a pool of their own, a few at a time (503 over that);
- ``gate``: both around one check, as the scoring service's ``/v1/auth/login`` and the
  monitoring dashboard's sign-in use them;
- ``accounts``: the dashboard accounts' password check (unknown names cost the same).
"""

from credit_core.logins.accounts import Login, check_login
from credit_core.logins.checks import ChecksBusy, PasswordChecks
from credit_core.logins.gate import LoginGate, Throttled
from credit_core.logins.throttle import LoginThrottle, ThrottleRule

__all__ = ["ChecksBusy", "Login", "LoginGate", "LoginThrottle", "PasswordChecks",
           "ThrottleRule", "Throttled", "check_login"]
