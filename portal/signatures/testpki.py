"""The test PKI: a root, an intermediate and certificates of the demo people, like NCA's.

Written by ``manage.py signatures_test_pki`` under ``var/pki/`` (development) and by the tests into
a temporary folder. Every certificate of it carries ``TEST_PKI_MARK`` in its organisation name: the
system check ``signatures.E001`` refuses production (DEBUG off) while such a root is trusted.
Subjects follow NCA's: ``SERIALNUMBER=IIN<12 digits>``, for an organisation's employee also
``O=`` and ``OU=BIN<12 digits>``; the signing extended key usage (1.3.6.1.5.5.7.3.4) and NCA's role
OIDs (1.2.398.3.3.4.1.1 individual, 1.2.398.3.3.4.1.2 employee of an organisation).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

TEST_PKI_MARK = "MSE portal TEST PKI"
ROLE_INDIVIDUAL = "1.2.398.3.3.4.1.1"
ROLE_EMPLOYEE = "1.2.398.3.3.4.1.2"
YEAR = dt.timedelta(days=365)

# The keys the test PKI makes (and ``sign_cms`` signs with).
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def new_key(*, ecdsa: bool = False) -> PrivateKey:
    return ec.generate_private_key(ec.SECP256R1()) if ecdsa else rsa.generate_private_key(65537, 2048)


def ca_certificate(
    *,
    key: PrivateKey,
    name: str,
    issuer_key: PrivateKey | None = None,
    issuer: x509.Certificate | None = None,
    now: dt.datetime | None = None,
) -> x509.Certificate:
    """A CA certificate; self-signed (a root) without ``issuer``."""
    now = now or dt.datetime.now(dt.UTC)
    signing_key = issuer_key or key
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, TEST_PKI_MARK),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + 10 * YEAR)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )  # keyCertSign, cRLSign
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()), critical=False
        )
    return builder.sign(signing_key, hashes.SHA256())


def person_certificate(
    *,
    key: PrivateKey,
    iin: str,
    issuer: x509.Certificate,
    issuer_key: PrivateKey,
    name: str = "",
    bin: str = "",
    organisation: str = "",
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> x509.Certificate:
    """A signing certificate of a person (with ``bin``: of an organisation's employee), as NCA issues."""
    now = dt.datetime.now(dt.UTC)
    attrs = [
        x509.NameAttribute(NameOID.COMMON_NAME, name or f"TEST {iin}"),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{iin}"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
    ]
    if bin:
        attrs += [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation or f"{TEST_PKI_MARK} organisation {bin}"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{bin}"),
        ]
    role = ROLE_EMPLOYEE if bin else ROLE_INDIVIDUAL
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attrs))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - dt.timedelta(days=1))
        .not_valid_after(not_after or now + YEAR)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )  # digitalSignature, nonRepudiation
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, x509.ObjectIdentifier(role)]),
            critical=False,
        )
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
        .sign(issuer_key, hashes.SHA256())
    )


def empty_crl(
    *, issuer: x509.Certificate, issuer_key: PrivateKey, now: dt.datetime | None = None
) -> x509.CertificateRevocationList:
    now = now or dt.datetime.now(dt.UTC)
    return (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.subject)
        .last_update(now - dt.timedelta(minutes=5))
        .next_update(now + YEAR)
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
        .sign(issuer_key, hashes.SHA256())
    )


class TestPki:
    """A test PKI in a folder: ``root.pem``, ``intermediate.pem``, their CRLs, and ``people/``."""

    __test__ = False  # not a pytest class

    def __init__(self, directory: Path | str):
        self.directory = Path(directory)

    @property
    def root_path(self) -> Path:
        return self.directory / "root.pem"

    @property
    def crl_paths(self) -> list[Path]:
        return [self.directory / "root.crl", self.directory / "intermediate.crl"]

    def ensure(self) -> TestPki:
        """Create the root, the intermediate and their (empty) CRLs unless they exist."""
        if self.root_path.exists():
            return self
        (self.directory / "people").mkdir(parents=True, exist_ok=True)
        root_key = new_key()
        root = ca_certificate(key=root_key, name="MSE portal TEST root CA (not for production)")
        inter_key = new_key()
        inter = ca_certificate(key=inter_key, name="MSE portal TEST issuing CA", issuer=root, issuer_key=root_key)
        for stem, cert, key in (("root", root, root_key), ("intermediate", inter, inter_key)):
            (self.directory / f"{stem}.key").write_bytes(_key_pem(key))
            (self.directory / f"{stem}.pem").write_bytes(_pem(cert))
        (self.directory / "root.crl").write_bytes(
            empty_crl(issuer=root, issuer_key=root_key).public_bytes(serialization.Encoding.PEM)
        )
        (self.directory / "intermediate.crl").write_bytes(
            empty_crl(issuer=inter, issuer_key=inter_key).public_bytes(serialization.Encoding.PEM)
        )
        return self

    def _load(self, stem: str) -> tuple[PrivateKey, x509.Certificate]:
        key = serialization.load_pem_private_key((self.directory / f"{stem}.key").read_bytes(), None)
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise TypeError(f"{stem}.key: an RSA or ECDSA key expected")
        return key, x509.load_pem_x509_certificate((self.directory / f"{stem}.pem").read_bytes())

    @property
    def intermediate(self) -> tuple[PrivateKey, x509.Certificate]:
        """(key, certificate) of the issuing CA."""
        return self._load("intermediate")

    def person(
        self, iin: str, *, bin: str = "", name: str = "", ecdsa: bool = False
    ) -> tuple[PrivateKey, x509.Certificate]:
        """(key, certificate) of a person (an organisation's employee with ``bin``), issued once and kept."""
        self.ensure()
        stem = f"people/{iin}" + (f"-{bin}" if bin else "") + ("-ecdsa" if ecdsa else "")
        if not (self.directory / f"{stem}.pem").exists():
            issuer_key, issuer = self.intermediate
            key = new_key(ecdsa=ecdsa)
            cert = person_certificate(key=key, iin=iin, bin=bin, name=name, issuer=issuer, issuer_key=issuer_key)
            (self.directory / f"{stem}.key").write_bytes(_key_pem(key))
            (self.directory / f"{stem}.pem").write_bytes(_pem(cert))
        return self._load(stem)

    def chain(self) -> list[x509.Certificate]:
        """The certificates a signer sends along with their own: the intermediate."""
        return [self.intermediate[1]]
