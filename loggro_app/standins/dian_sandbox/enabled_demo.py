"""DIAN's side of the second demo organization (`loggro_app.dian.demo_enabled`), preloaded
as the portal would have left it after habilitación: registered with the provider's demo
software, its test set accepted (which enables it, as `count_test_set` does for any
taxpayer) and its resolutions issued and associated to the software."""

from __future__ import annotations

from loggro_app.dian import demo, demo_enabled
from loggro_app.standins.dian_sandbox.admin import DEFAULT_TEST_SET, Admin
from loggro_app.standins.dian_sandbox.processing import count_test_set


def seed_enabled_demo(admin: Admin) -> None:
    """Idempotent: a sandbox file that already knows the taxpayer is left as it is."""
    nit = demo_enabled.NIT
    if admin.store.taxpayer(nit) is not None:
        return
    # One transaction: a sandbox stopped half-way never keeps a taxpayer without its ranges.
    with admin.store.transaction() as db:
        admin.create_taxpayer(nit, demo_enabled.LEGAL_NAME)
        admin.create_software(nit, demo.SOFTWARE_ID, demo.SOFTWARE_PIN,
                              demo.SOFTWARE_PROVIDER_NIT, "Loggro (demo)")
        admin.create_test_set(nit, demo.SOFTWARE_ID, test_set_id=demo_enabled.TEST_SET_ID)
        for kind, required in DEFAULT_TEST_SET.items():
            for _ in range(required):
                count_test_set(db, demo_enabled.TEST_SET_ID, kind, accepted=True)
        for resolution in demo_enabled.RESOLUTIONS:
            admin.issue_resolution(
                nit, resolution.number, resolution.prefix, resolution.range_from,
                resolution.range_to, resolution.valid_from.isoformat(),
                resolution.valid_to.isoformat(), resolution.technical_key,
                demo_enabled.RESOLUTIONS_ISSUED_AT)
            admin.associate(nit, resolution.prefix, demo.SOFTWARE_ID, resolution.number)
