from loggro_app.core.passwords import hash_password, password_problem, verify_password


def test_hash_verifies_only_the_right_password() -> None:
    stored = hash_password("Clave2026*")
    assert stored.startswith("scrypt$")
    assert verify_password("Clave2026*", stored)
    assert not verify_password("clave2026*", stored)


def test_same_password_gets_different_salts() -> None:
    assert hash_password("Clave2026*") != hash_password("Clave2026*")


def test_fixed_salt_is_deterministic() -> None:
    salt = b"0123456789abcdef"
    assert hash_password("x1", salt=salt) == hash_password("x1", salt=salt)


def test_garbage_hash_is_rejected_not_crashing() -> None:
    assert not verify_password("a", "")
    assert not verify_password("a", "md5$abc")
    assert not verify_password("a", "scrypt$x$y$z$!!$!!")


def test_weak_passwords_are_explained() -> None:
    assert password_problem("corta1") == "La contraseña debe tener al menos 8 caracteres."
    assert password_problem("12345678") is not None
    assert password_problem("Segura2026") is None


def test_old_cost_is_upgraded_and_a_huge_cost_refused() -> None:
    from loggro_app.core.passwords import COST_N, needs_rehash

    old = hash_password("Clave2026*", n=2**14)
    assert verify_password("Clave2026*", old) and needs_rehash(old)
    assert COST_N == 2**17 and not needs_rehash(hash_password("Clave2026*"))
    scheme, _n, rest = old.split("$", 2)
    assert not verify_password("Clave2026*", f"{scheme}${2**24}${rest}")  # tampered row
