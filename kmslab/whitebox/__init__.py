"""White-box keys: the table-network library (issuer side) and the offline device client.

Issuer (the service layer)::

    lib = build_library(seed)                  # once per service, cached per seed
    keys = lib.encode_key("SM4", key, key_id, fingerprints, random_bytes)
    lib.sdk.save(directory)                    # the SDK a device downloads
    ct = encrypt_cbc("SM4", key, iv, plaintext)  # EncryptByWhiteBox, with cryptography

Device (no service needed)::

    sdk = SDK.load(directory)
    plaintext = decrypt(sdk, decrypt_key_b64, iv_b64, ciphertext_b64)

The network computes standard AES-256 / SM4 without external encodings, so a white-box
key falls to DFA and DCA; see docs/white-box.md.
"""

from kmslab.whitebox.client import WhiteBoxCipher, decrypt, encrypt, whitebox_decrypt
from kmslab.whitebox.device import FINGERPRINT_ENV, device_fingerprint, is_fingerprint
from kmslab.whitebox.errors import DEVICE_NOT_BOUND, WhiteBoxError
from kmslab.whitebox.hooks import Fault, Trace
from kmslab.whitebox.library import ALGORITHMS, Library, WhiteBoxKeys, build_library, encode_key
from kmslab.whitebox.sdk import SDK
from kmslab.whitebox.service_cipher import encrypt_cbc

__all__ = [
    "ALGORITHMS",
    "DEVICE_NOT_BOUND",
    "FINGERPRINT_ENV",
    "SDK",
    "Fault",
    "Library",
    "Trace",
    "WhiteBoxCipher",
    "WhiteBoxError",
    "WhiteBoxKeys",
    "build_library",
    "decrypt",
    "device_fingerprint",
    "encode_key",
    "encrypt_cbc",
    "encrypt",
    "is_fingerprint",
    "whitebox_decrypt",
]
