"""A real Dovecot IMAP server on 127.0.0.1 for the tests: its own configuration, a
passwd-file account, maildir storage and a self-signed certificate made here; stopped by
its PID (the process group it leads)."""

from __future__ import annotations

import getpass
import grp
import imaplib
import ipaddress
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from loggro_app.local_stack import free_port, stop_group

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
DOVECOT_FOUND = os.path.exists(DOVECOT)
USER, PASSWORD = "recepcion", "buzon-de-prueba"


@dataclass(frozen=True)
class ImapServer:
    port: int
    ca_file: Path
    log_path: Path

    def client(self) -> imaplib.IMAP4_SSL:
        context = ssl.create_default_context(cafile=str(self.ca_file))
        client = imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=context, timeout=10)
        client.login(USER, PASSWORD)
        return client

    def append(self, raw: bytes) -> None:
        client = self.client()
        try:
            status, _ = client.append("INBOX", None, None, raw)
            assert status == "OK"
        finally:
            client.logout()

    def empty(self) -> None:
        client = self.client()
        try:
            _, data = client.select("INBOX")
            if int(data[0] or 0):
                client.store("1:*", "+FLAGS", "(\\Deleted)")
                client.expunge()
        finally:
            client.logout()

    def unseen(self) -> list[bytes]:
        client = self.client()
        try:
            client.select("INBOX", readonly=True)
            _, data = client.uid("SEARCH", "UNSEEN")
            return (data[0] or b"").split()
        finally:
            client.logout()


def _certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(hours=1)).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    return cert_path, key_path


def _config(folder: Path, port: int, cert: Path, key: Path) -> str:
    """Dovecot drops root for its own users; run by anyone else it stays that user."""
    if os.geteuid() == 0:
        internal, login, mail_user = "dovecot", "dovenull", "dovecot"
        mail_uid, mail_gid = pwd.getpwnam("dovecot").pw_uid, grp.getgrnam("dovecot").gr_gid
        chroots = ""
    else:
        internal = login = mail_user = getpass.getuser()
        mail_uid, mail_gid = os.getuid(), os.getgid()
        chroots = "service anvil {\n  chroot =\n}\nservice imap-login {\n  chroot =\n}\n"
    mail = folder / "mail"
    mail.mkdir()
    os.chown(mail, mail_uid, mail_gid)
    return f"""\
base_dir = {folder}/run
state_dir = {folder}/state
instance_name = loggro-test-{port}
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = yes
auth_mechanisms = plain
log_path = {folder}/dovecot.log
first_valid_uid = 1
mail_location = maildir:{mail}/%u
default_internal_user = {internal}
default_internal_group = {grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {folder}/users
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={mail}/%u
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {port}
    ssl = yes
  }}
}}
{chroots}# mail owner: {mail_user}
"""


def _wait_for(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot terminó al iniciar:\n{log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("dovecot no abrió su puerto en 20 s")


@contextmanager
def dovecot_server() -> Iterator[ImapServer]:
    # Not under pytest's tmp_path: its folders are private to the test's user, and Dovecot
    # reads the mail as its own unprivileged user when started by root.
    folder = Path(tempfile.mkdtemp(prefix="loggro-imap-"))
    folder.chmod(0o755)
    process = None
    try:
        port = free_port()
        cert, key = _certificate(folder)
        users = folder / "users"
        users.write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        # Read by Dovecot's auth process as its own user, whatever umask this process has.
        users.chmod(0o644)
        (folder / "run").mkdir()
        (folder / "dovecot.conf").write_text(_config(folder, port, cert, key))
        output = (folder / "stdout.log").open("wb")
        process = subprocess.Popen([DOVECOT, "-F", "-c", str(folder / "dovecot.conf")],
                                   stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        output.close()
        _wait_for(port, process, folder / "stdout.log")
        yield ImapServer(port, cert, folder / "dovecot.log")
    finally:
        if process is not None:
            stop_group(process)
        shutil.rmtree(folder, ignore_errors=True)
