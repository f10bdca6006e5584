"""A private certificate authority and server certificate for the local HTTPS endpoint.

``tccli`` only speaks HTTPS, so the endpoint needs a certificate that clients can be
told to trust. We make a one-off CA (its certificate is what clients trust: the
reported ``cert_path``) and a leaf for ``127.0.0.1``, ``::1`` and ``localhost`` signed
by it; a separate CA keeps strict X.509 checkers (Python 3.13's default) happy.
These keys protect only the local transport, not KMS material, so they come from
``cryptography``'s own OS randomness rather than the service's random source.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["TlsFiles", "make_certificate", "trust_bundle"]

HOSTS = ("localhost",)
ADDRESSES = ("127.0.0.1", "::1")


@dataclass(frozen=True)
class TlsFiles:
    """Where the generated PEM files are: ``ca_cert`` is what clients must trust."""

    ca_cert: Path
    cert: Path
    key: Path


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "kmslab (local, untrusted)"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _write(path: Path, data: bytes, private: bool = False) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def make_certificate(directory: str | os.PathLike, days: int = 30) -> TlsFiles:
    """Create a CA and a server certificate for the loopback names in ``directory``."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    now = _dt.datetime.now(_dt.timezone.utc) - _dt.timedelta(minutes=5)
    until = now + _dt.timedelta(days=days)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("kmslab local CA")
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    key = ec.generate_private_key(ec.SECP256R1())
    san = [x509.DNSName(h) for h in HOSTS] + [
        x509.IPAddress(ipaddress.ip_address(a)) for a in ADDRESSES
    ]
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )

    files = TlsFiles(folder / "kmslab-ca.pem", folder / "kmslab-server.pem", folder / "server.key")
    pem = serialization.Encoding.PEM
    _write(files.ca_cert, ca.public_bytes(pem))
    _write(files.cert, leaf.public_bytes(pem) + ca.public_bytes(pem))
    _write(
        files.key,
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        private=True,
    )
    return files


def trust_bundle(ca_cert: str | os.PathLike, directory: str | os.PathLike) -> Path:
    """A CA bundle holding certifi's public roots plus the kmslab CA, for clients (tccli)
    that accept only one bundle file but must still reach real hosts too."""
    out = Path(directory) / "kmslab-bundle.pem"
    try:
        import certifi

        roots = Path(certifi.where()).read_bytes()
    except ImportError:  # no certifi: the kmslab CA alone
        roots = b""
    _write(out, roots.rstrip(b"\n") + b"\n" + Path(ca_cert).read_bytes())
    return out
