"""The action table against facts stated in the spec's ``api-catalog.md``.

Every other part of kmslab trusts this table, so these checks pin the facts that a
parser slip or a hand edit would get wrong: counts, rate limits, required flags, the
spelling of look-alike names, error codes and the limits with their codes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from kmslab.actions import catalog, table
from kmslab.actions.error_catalogue import CATALOGUE
from kmslab.actions.limits import LIMITS, STRUCT_LIMITS
from kmslab.actions.spec import INTEGER, SCALAR_TYPES, STRING, STRING_LIST, Limits, Param
from kmslab.actions.table import ACTIONS, GROUPS, STRUCTS, TableError

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC = (REPO_ROOT / "../shared/spec/api-catalog.md").resolve()


def limits_of(action: str, param: str) -> Limits:
    limits = ACTIONS[action].param(param).limits
    assert limits is not None, f"{action}.{param} has no limits"
    return limits


# ----------------------------------------------------------------- shape


def test_exactly_69_actions_in_catalog_order():
    assert len(ACTIONS) == 69
    names = list(ACTIONS)
    assert names[0] == "ArchiveKey"
    assert names[24] == "UpdateKeyDescription"
    assert names[-1] == "UpdateDataKeyName"
    assert all(name == spec.name for name, spec in ACTIONS.items())


@pytest.mark.parametrize(
    ("group", "count"),
    [
        ("key", 25),
        ("asymmetric", 5),
        ("PQC", 4),
        ("import", 3),
        ("service", 4),
        ("white-box", 13),
        ("data-key hosting", 15),
    ],
)
def test_group_counts(group, count):
    assert len(GROUPS[group]) == count
    assert all(ACTIONS[name].group == group for name in GROUPS[group])


def test_groups_cover_every_action_once():
    assert len(GROUPS) == 7
    assert sorted(n for names in GROUPS.values() for n in names) == sorted(ACTIONS)


@pytest.mark.parametrize(("in_doc", "count"), [("yes", 40), ("listed only", 13), ("no", 16)])
def test_in_doc_counts(in_doc, count):
    assert sum(spec.in_doc == in_doc for spec in ACTIONS.values()) == count


@pytest.mark.parametrize(
    ("action", "qps"),
    [
        ("Encrypt", 300),
        ("Decrypt", 300),
        ("GenerateRandom", 150),
        ("AsymmetricSm2Decrypt", 200),
        ("PostQuantumCryptoSign", 20),
        ("RotateKey", None),
        ("DeleteWhiteBoxKey", 200),
        ("CreateWhiteBoxKey", 100),
        ("CreateKey", 100),
        ("ImportDataKey", 100),  # researched: the catalogue has none
        ("GetDataKeyPlaintext", 300),
        ("UpdateDataKeyName", 20),
    ],
)
def test_qps(action, qps):
    assert ACTIONS[action].qps == qps


def test_researched_qps_fills_only_what_the_catalogue_leaves_open():
    from kmslab.actions import catalog
    from kmslab.actions.limits import RESEARCHED_QPS

    assert RESEARCHED_QPS
    for action, qps in RESEARCHED_QPS.items():
        assert catalog.ACTIONS[action].qps is None, action
        assert ACTIONS[action].qps == qps


@pytest.mark.parametrize(
    ("action", "param", "required"),
    [
        ("CreateKey", "Alias", True),
        ("CreateKey", "KeyUsage", False),
        ("CreateKey", "Type", False),
        ("ScheduleKeyDeletion", "PendingWindowInDays", True),
        ("ScheduleKeyDeletion", "MemberAccount", False),
        ("Encrypt", "KeyId", True),
        ("Encrypt", "EncryptionContext", False),
        ("Decrypt", "CiphertextBlob", True),
        ("GenerateRandom", "NumberOfBytes", True),
        ("SignByAsymmetricKey", "MessageType", False),
        ("AsymmetricRsaDecrypt", "Algorithm", True),
        ("ImportDataKey", "ImportType", True),
        ("ImportDataKey", "KeyId", False),
        ("DisableWhiteBoxKeys", "KeyIds", True),
    ],
)
def test_required_flags(action, param, required):
    assert ACTIONS[action].param(param).required is required


@pytest.mark.parametrize(
    ("action", "param", "type_"),
    [
        ("CreateKey", "Type", INTEGER),
        ("CreateKey", "Tags", "Array of Tag"),
        ("DescribeKeys", "KeyIds", STRING_LIST),
        ("DescribeKeys", "MemberAccount", "MemberAccount"),
        ("ListKeyDetail", "TagFilters", "Array of TagFilter"),
        ("ListKeyDetail", "MemberAccounts", "Array of MemberAccount"),
        ("DescribeWhiteBoxKeyDetails", "KeyStatus", "Integer64"),
        ("OverwriteWhiteBoxDeviceFingerprints", "DeviceFingerprints", "Array of DeviceFingerprint"),
    ],
)
def test_param_types(action, param, type_):
    assert ACTIONS[action].param(param).type == type_


def test_every_type_is_a_scalar_a_string_list_or_a_request_structure():
    params = [p for spec in ACTIONS.values() for p in spec.params]
    params += [f for struct in STRUCTS.values() for f in struct.fields]
    for p in params:
        assert p.type == STRING_LIST or p.item_type in SCALAR_TYPES | set(STRUCTS), p


def test_request_structures():
    assert set(STRUCTS) == {"Tag", "TagFilter", "MemberAccount", "DeviceFingerprint"}
    assert [(f.name, f.type, f.required) for f in STRUCTS["TagFilter"].fields] == [
        ("TagKey", STRING, True),
        ("TagValue", STRING_LIST, False),
    ]
    assert not any(f.required for f in STRUCTS["MemberAccount"].fields)


def test_actions_without_parameters():
    empty = sorted(name for name, spec in ACTIONS.items() if not spec.params)
    assert empty == [
        "DescribeWhiteBoxServiceStatus",
        "GetRegions",
        "GetServiceStatus",
        "ListAlgorithms",
    ]


def test_responses_leave_out_request_id():
    assert all("RequestId" not in spec.response for spec in ACTIONS.values())
    assert ACTIONS["ArchiveKey"].response == ()
    assert ACTIONS["ReEncrypt"].response == (
        "CiphertextBlob",
        "KeyId",
        "SourceKeyId",
        "ReEncrypted",
    )


def test_summaries_and_notes():
    assert all(spec.summary for spec in ACTIONS.values())
    assert ACTIONS["CreateKey"].summary == "Create a customer master key (CMK)."
    assert len(ACTIONS["ImportKeyMaterial"].notes) == 5
    assert ACTIONS["GetRegions"].notes == ()
    assert all(not note.startswith("*") for spec in ACTIONS.values() for note in spec.notes)


# ----------------------------------------------------------------- look-alike names


@pytest.mark.parametrize(
    ("action", "present", "absent"),
    [
        ("PostQuantumCryptoEncrypt", "PlainText", "Plaintext"),
        ("EncryptByWhiteBox", "PlainText", "Plaintext"),
        ("Encrypt", "Plaintext", "PlainText"),
        ("AsymmetricRsaDecrypt", "Ciphertext", "CiphertextBlob"),
        ("Decrypt", "CiphertextBlob", "Ciphertext"),
    ],
)
def test_request_casing_traps(action, present, absent):
    names = [p.name for p in ACTIONS[action].params]
    assert present in names
    assert absent not in names


@pytest.mark.parametrize(
    ("action", "field"),
    [
        ("PostQuantumCryptoDecrypt", "PlainText"),
        ("Decrypt", "Plaintext"),
        ("EncryptByWhiteBox", "CipherText"),
    ],
)
def test_response_casing_traps(action, field):
    assert field in ACTIONS[action].response


# ----------------------------------------------------------------- errors


def test_every_documented_error_code_is_in_the_catalogue():
    missing = {
        (name, code)
        for name, spec in ACTIONS.items()
        for code in spec.errors
        if code not in CATALOGUE
    }
    assert not missing


def test_error_lists_are_clean_codes():
    for spec in ACTIONS.values():
        assert spec.errors, spec.name
        for code in spec.errors:
            assert re.fullmatch(r"[A-Za-z]+(\.[A-Za-z0-9]+)?", code), (spec.name, code)


@pytest.mark.parametrize(
    ("action", "code"),
    [
        ("ScheduleKeyDeletion", "InvalidParameter.InvalidPendingWindowInDays"),
        ("DescribeKey", "UnsupportedOperation.NotRoleOperation"),  # an "(SDK)" entry
        ("RotateKey", "RequestLimitExceeded.RotateRateLimited"),
        ("GetDataKeyPlaintext", "AuthFailure.UnauthorizedOperation"),
    ],
)
def test_error_spot_checks(action, code):
    assert code in ACTIONS[action].errors


@pytest.mark.parametrize(
    "code",
    [
        "AuthFailure.SignatureFailure",
        "AuthFailure.SignatureExpire",
        "AuthFailure.SecretIdNotFound",
        "AuthFailure.InvalidAuthorization",
        "RequestLimitExceeded",
        "RequestLimitExceeded.UinLimitExceeded",
        "InvalidAction",
        "UnknownParameter",
        "MissingParameter",
        "UnsupportedProtocol",
        "LimitExceeded.CmkLimitExceeded",
    ],
)
def test_catalogue_has_protocol_codes(code):
    assert code in CATALOGUE


def test_catalogue_messages():
    assert list(CATALOGUE) == sorted(CATALOGUE)
    for code, (en, zh) in CATALOGUE.items():
        assert en.strip() and zh.strip(), code
        assert en.isascii(), code
        assert re.search(r"[\u4e00-\u9fff]", zh), code


def test_every_limit_error_code_is_in_the_catalogue():
    for limits in [*LIMITS.values(), *STRUCT_LIMITS.values()]:
        assert limits.error in CATALOGUE
        assert limits.duplicate_error in CATALOGUE


# ----------------------------------------------------------------- limits


@pytest.mark.parametrize("action", ["ScheduleKeyDeletion", "ScheduleDataKeyDeletion"])
def test_pending_window(action):
    limits = limits_of(action, "PendingWindowInDays")
    assert (limits.minimum, limits.maximum) == (7, 30)
    assert limits.error == "InvalidParameter.InvalidPendingWindowInDays"


@pytest.mark.parametrize("action", ["CreateKey", "UpdateAlias", "CreateWhiteBoxKey"])
@pytest.mark.parametrize(
    ("alias", "ok"),
    [
        ("a", True),
        ("Key-1_x", True),
        ("9" * 60, True),
        ("9" * 61, False),
        ("", False),
        ("-key", False),
        ("_key", False),
        ("key 1", False),
        ("key.1", False),
        ("密钥", False),
        ("key\n", False),
    ],
)
def test_alias_pattern(action, alias, ok):
    limits = limits_of(action, "Alias")
    assert limits.error == "InvalidParameterValue.InvalidAlias"
    assert bool(re.fullmatch(limits.pattern, alias)) is ok


_IPV, _IP = "InvalidParameterValue", "InvalidParameter"


@pytest.mark.parametrize(
    ("action", "param", "max_items", "duplicate_error", "error"),
    [
        ("DescribeKeys", "KeyIds", 100, "InvalidParameterValue.DuplicatedKeyId", _IPV),
        ("EnableKeys", "KeyIds", 100, "InvalidParameterValue.DuplicatedKeyId", _IPV),
        ("DisableKeys", "KeyIds", 100, "InvalidParameterValue.DuplicatedKeyId", _IPV),
        # The white-box batches document InvalidParameter, not InvalidParameterValue.
        ("EnableWhiteBoxKeys", "KeyIds", 50, "InvalidParameterValue.DuplicatedKeyId", _IP),
        ("DisableWhiteBoxKeys", "KeyIds", 50, "InvalidParameterValue.DuplicatedKeyId", _IP),
        ("DescribeDataKeys", "DataKeyIds", 100, "InvalidParameterValue.DuplicatedDataKeyId", _IPV),
        ("EnableDataKeys", "DataKeyIds", 100, "InvalidParameterValue.DuplicatedDataKeyId", _IPV),
        ("DisableDataKeys", "DataKeyIds", 100, "InvalidParameterValue.DuplicatedDataKeyId", _IPV),
    ],
)
def test_batches(action, param, max_items, duplicate_error, error):
    limits = limits_of(action, param)
    assert limits.max_items == max_items
    assert limits.unique_items
    assert limits.duplicate_error == duplicate_error
    assert limits.error == error
    if "WhiteBox" in action:  # a code the action documents
        assert error in table.ACTIONS[action].errors


@pytest.mark.parametrize(
    ("action", "param", "expected"),
    [
        ("CreateKey", "Description", {"max_bytes": 1024}),
        ("UpdateKeyDescription", "Description", {"max_bytes": 1024}),
        ("GenerateDataKey", "Description", {"max_bytes": 100}),
        ("UpdateDataKeyDescription", "Description", {"max_bytes": 100}),
        ("Encrypt", "EncryptionContext", {"max_length": 1024, "max_bytes": None}),
        ("Decrypt", "EncryptionContext", {"max_bytes": 1024, "max_length": None}),
        ("ReEncrypt", "DestinationEncryptionContext", {"max_length": 1024}),
        ("EnableKeyRotation", "RotateDays", {"minimum": 7, "maximum": 365}),
        ("GenerateDataKey", "NumberOfBytes", {"minimum": 1, "maximum": 1024}),
        ("GenerateRandom", "NumberOfBytes", {"minimum": 1, "maximum": 1024}),
        ("ListKeys", "Limit", {"maximum": 200}),
        ("ListDataKeyDetail", "Limit", {"maximum": 200}),
        ("ImportKeyMaterial", "ValidTo", {"maximum": 2147443200}),
        ("CreateKey", "Type", {"choices": (1, 2), "error": "InvalidParameterValue.InvalidType"}),
        ("ListKeyDetail", "Origin", {"choices": ("TENCENT_KMS", "EXTERNAL", "ALL", "")}),
        ("ListKeyDetail", "KeyState", {"choices": (0, 1, 2, 3, 4, 5)}),
        ("ListDataKeyDetail", "KeyState", {"choices": (0, 1, 2, 3)}),
        ("GetParametersForImport", "WrappingKeySpec", {"choices": ("RSA_2048",)}),
        ("GenerateDataKey", "KeySpec", {"choices": ("AES_128", "AES_256")}),
        ("GenerateDataKey", "IsHostedByKms", {"choices": (0, 1)}),
        ("SignByAsymmetricKey", "MessageType", {"choices": ("RAW", "DIGEST")}),
        ("Decrypt", "EncryptionAlgorithm", {"error": "InvalidParameterValue"}),
        (
            "OverwriteWhiteBoxDeviceFingerprints",
            "DeviceFingerprints",
            {"max_items": 200, "error": "LimitExceeded.FingerprintsLimitExceeded"},
        ),
    ],
)
def test_limit_values(action, param, expected):
    limits = limits_of(action, param)
    assert {k: getattr(limits, k) for k in expected} == expected


@pytest.mark.parametrize(
    ("action", "param"),
    [
        ("CreateKey", "KeyUsage"),  # the service checks usages per region
        ("Encrypt", "Plaintext"),  # sizes are checked after Base64 decoding
        ("PostQuantumCryptoEncrypt", "PlainText"),
        ("SignByAsymmetricKey", "Message"),
        ("SignByAsymmetricKey", "Algorithm"),  # "etc.": not a closed set
    ],
)
def test_no_limits_where_the_service_decides(action, param):
    assert ACTIONS[action].param(param).limits is None


def test_struct_limits():
    identity = STRUCTS["DeviceFingerprint"].fields[0]
    assert identity.name == "Identity"
    good = "0123abcd-" + "-".join(["a" * 14] * 3) + "-" + "f" * 16
    assert re.fullmatch(identity.limits.pattern, good)
    assert not re.fullmatch(identity.limits.pattern, good.upper())


def test_limits_reach_the_table():
    for (action, param), limits in LIMITS.items():
        assert ACTIONS[action].param(param).limits is limits
    # The generated catalog itself stays limit-free.
    assert all(p.limits is None for spec in catalog.ACTIONS.values() for p in spec.params)


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (("NoSuchAction", "KeyId"), "unknown action"),
        (("Encrypt", "NoSuchParam"), "unknown parameter"),
        (("Encrypt", "KeyId"), "numeric limits on a non-integer"),
    ],
)
def test_merge_fails_loudly(key, message):
    owners = {"Encrypt": (Param("KeyId", STRING, required=True),)}
    bad = Limits(minimum=1) if key == ("Encrypt", "KeyId") else Limits(max_length=1)
    with pytest.raises(TableError, match=message):
        table._merge(owners, {key: bad}, "action")


# ----------------------------------------------------------------- generated file


@pytest.mark.skipif(not SPEC.exists(), reason="the spec is not next to the repository")
def test_generated_catalog_is_up_to_date(monkeypatch):
    path = REPO_ROOT / "tools" / "gen_catalog.py"
    module_spec = importlib.util.spec_from_file_location("gen_catalog", path)
    gen = importlib.util.module_from_spec(module_spec)
    monkeypatch.setitem(sys.modules, "gen_catalog", gen)  # dataclasses look themselves up
    module_spec.loader.exec_module(gen)
    text = SPEC.read_text(encoding="utf-8")
    expected = gen.render(
        gen.parse_actions(text, gen.parse_summary(text)),
        gen.parse_structs(text),
        gen.source_label_for(SPEC),
        hashlib.sha256(SPEC.read_bytes()).hexdigest(),
    )
    generated = (REPO_ROOT / "kmslab" / "actions" / "catalog.py").read_text(encoding="utf-8")
    assert generated == expected, "run: python tools/gen_catalog.py"
