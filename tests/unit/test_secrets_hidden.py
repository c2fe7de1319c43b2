"""Secrets never show in a repr, where logs and error pages would pick them up."""

from datetime import date

from loggro_app.core import numbering as rules
from loggro_app.core.secret_box import SecretBox
from loggro_app.services.dian_link import DianLink
from loggro_app.services.numbering import DianRange
from loggro_app.settings import Settings


def test_reprs_hide_secrets() -> None:
    resolution = rules.Resolution("1", "FE", 1, 10, date(2026, 1, 1), date(2027, 1, 1))
    assert "clave-secreta" not in repr(DianRange(resolution, "clave-secreta"))
    assert "pin-777" not in repr(DianLink(software_pin="pin-777"))
    settings = Settings(db_url="sqlite://", data_dir=None,  # type: ignore[arg-type]
                        demo_password="Demo-oculta")
    assert "Demo-oculta" not in repr(settings)
    key = SecretBox.new_key()
    assert key.decode() not in repr(SecretBox(key))


def test_sealed_secrets_round_trip_and_hide_the_plain_text() -> None:
    box = SecretBox(SecretBox.new_key())
    sealed = box.seal_text("fc8eac422eba16e22ffd8c6f94b3f40a6e38162c")
    assert "fc8eac42" not in sealed
    assert box.open_text(sealed) == "fc8eac422eba16e22ffd8c6f94b3f40a6e38162c"
