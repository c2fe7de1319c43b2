"""How long a complete DIAN test set (30 invoices, 10 credit notes, 10 debit notes) takes
against the local DIAN sandbox, from «Certificar» to the last answer, as the background
worker runs it. Prints the total and the time to the first validated document.

Run: `.venv/bin/python bench/test_set_duration.py`
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from cryptography.fernet import Fernet

    from loggro_app.local_stack import LocalStack

    work = Path(tempfile.mkdtemp())
    os.environ.setdefault("LOGGRO_SECRET_KEY", Fernet.generate_key().decode())
    with LocalStack(log_dir=work / "logs", app_url="http://127.0.0.1:9") as stack:
        os.environ.update(stack.env())
        from sqlmodel import Session

        from loggro_app.db import get_engine
        from loggro_app.migrate import upgrade
        from loggro_app.models import Organization
        from loggro_app.services import certificates, test_set
        from loggro_app.services.dian_link import DianLink
        from loggro_app.services.sandbox_portal import SandboxPortal
        from loggro_app.services.signup import sign_up

        url = f"sqlite:///{work / 'bench.db'}"
        upgrade(url)
        with Session(get_engine(url)) as session:
            scope = sign_up(session=session, legal_name="Bench S.A.S.", nit="901234567", dv="",
                            municipality_code="05001", address="x", full_name="B",
                            email="b@bench.example", password="Bench2026*",
                            plan_code="fe_estandar")
            certificates.install_development_certificate(session=session, scope=scope)
            link = DianLink.from_env()
            org = session.get(Organization, scope.organization_id)
            set_id = SandboxPortal.for_link(link).new_test_set(org, link)
            started = time.perf_counter()
            run = test_set.start_run(session=session, scope=scope, test_set_id=set_id)
            factory = partial(link.client, session=session, organization_id=org.id)
            first = None
            while run.status == "running":
                run = test_set.advance(session=session, run_id=run.id, link=link,
                                       client_factory=factory)
                done = [i for i in test_set.items(session=session, run_id=run.id)
                        if i.status in ("accepted", "rejected")]
                if done and first is None:
                    first = time.perf_counter() - started
            total = time.perf_counter() - started
    print(f"test set of {run.total} documents: {run.status} in {total:.1f} s "
          f"({run.total / total:.1f} documents/s); first result after {first:.1f} s")


if __name__ == "__main__":
    main()
