"""Password hashing: argon2id at OWASP's minimum row instead of Django's heavier defaults.

Django's Argon2PasswordHasher uses time_cost 2, memory_cost 102,400 KiB (100 MiB) and
parallelism 8: about 0.4 s of CPU per hash on a 2-core embedded server, paid once to verify a
login and once more to rehash, and multiplied when a cell's phones log in together. OWASP's
Password Storage Cheat Sheet sets the argon2id minimum at m=19 MiB (19,456 KiB), t=2, p=1;
that row costs about 50 ms here (bench/bench_login.py) and keeps 19 MiB of memory per guess,
the property that makes argon2 expensive on GPUs.

The algorithm name stays "argon2", so the hashes already stored verify as before; Django's
`must_update` sees their other parameters and `check_password` rehashes them with these ones
at the user's next successful login."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher

# OWASP Password Storage Cheat Sheet, argon2id: "a minimum configuration of 19 MiB of memory,
# an iteration count of 2, and 1 degree of parallelism".
OWASP_MINIMUM = {"memory_cost": 19456, "time_cost": 2, "parallelism": 1}


class ChiboArgon2PasswordHasher(Argon2PasswordHasher):
    """argon2id with m=19,456 KiB, t=2, p=1 (OWASP's minimum row)."""

    time_cost = 2
    memory_cost = 19456
    parallelism = 1
