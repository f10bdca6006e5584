"""Every documented error code with its English and Simplified Chinese message.

The service answers in the request's language (``X-TC-Language``: ``zh-CN`` by default,
or ``en-US``), so each code needs a message in both. Keeping them in one table means a
refusal reads the same in the Python face, the wire envelope and the notebook, and an
undocumented code cannot be raised at all (:class:`~kmslab.actions.errors.KMSError`
refuses codes missing here). The codes are those of sections 4.1 (common) and 4.2
(KMS service) of the spec's ``api-catalog.md``; the messages are general, and the
specifics of one failure travel in the error's detail.
"""

from __future__ import annotations

CATALOGUE: dict[str, tuple[str, str]] = {
    "ActionOffline": (
        "This action has been retired.",
        "该接口已下线。",
    ),
    "AuthFailure": (
        "Authentication failed.",
        "CAM签名或鉴权错误。",
    ),
    "AuthFailure.InvalidAuthorization": (
        "The Authorization header is invalid.",
        "请求头部的Authorization不符合规范。",
    ),
    "AuthFailure.InvalidSecretId": (
        "The SecretId is not a valid API key.",
        "SecretId不是有效的云API密钥。",
    ),
    "AuthFailure.MFAFailure": (
        "Multi-factor authentication failed.",
        "MFA校验失败。",
    ),
    "AuthFailure.SecretIdNotFound": (
        "The SecretId does not exist or has been disabled.",
        "SecretId不存在或已被禁用。",
    ),
    "AuthFailure.SignatureExpire": (
        "The signature has expired: the timestamp is more than 5 minutes from server time.",
        "签名已过期：请求时间戳与服务器时间相差超过5分钟。",
    ),
    "AuthFailure.SignatureFailure": (
        "The signature is invalid.",
        "签名错误。",
    ),
    "AuthFailure.TokenFailure": (
        "The temporary credential token is invalid.",
        "临时凭证Token错误。",
    ),
    "AuthFailure.UnauthorizedOperation": (
        "The request is not authorized by CAM.",
        "请求未获得CAM授权。",
    ),
    "DryRunOperation": (
        "Dry run: the request would have succeeded.",
        "DryRun操作：请求本应成功执行。",
    ),
    "FailedOperation": (
        "The operation failed.",
        "操作失败。",
    ),
    "FailedOperation.CmkUsedByCloudProduct": (
        "The CMK is in use by a Tencent Cloud product.",
        "CMK正在被云产品使用。",
    ),
    "FailedOperation.DecryptError": (
        "Decryption failed.",
        "解密失败。",
    ),
    "FailedOperation.EncryptionError": (
        "Encryption failed.",
        "加密失败。",
    ),
    "FailedOperation.RotateTaskRunning": (
        "A rotation task for this key is already running.",
        "该密钥已有轮换任务正在执行。",
    ),
    "FailedOperation.TaggingError": (
        "Tagging failed.",
        "标签操作失败。",
    ),
    "InternalError": (
        "An internal error occurred.",
        "内部错误。",
    ),
    "InvalidAction": (
        "The action does not exist.",
        "接口不存在。",
    ),
    "InvalidParameter": (
        "A parameter is invalid.",
        "参数错误。",
    ),
    "InvalidParameter.DecryptMaterialError": (
        "The EncryptedKeyMaterial could not be decrypted.",
        "EncryptedKeyMaterial解密失败。",
    ),
    "InvalidParameter.InvalidPendingWindowInDays": (
        "The waiting period before deletion is invalid.",
        "计划删除等待期参数无效。",
    ),
    "InvalidParameterValue": (
        "A parameter value is invalid.",
        "参数取值错误。",
    ),
    "InvalidParameterValue.AliasAlreadyExists": (
        "The alias already exists.",
        "别名已存在。",
    ),
    "InvalidParameterValue.DataKeyNameAlreadyExists": (
        "The data key name already exists.",
        "数据密钥名称已存在。",
    ),
    "InvalidParameterValue.DuplicatedDataKeyId": (
        "A DataKeyId appears more than once.",
        "DataKeyId重复。",
    ),
    "InvalidParameterValue.DuplicatedKeyId": (
        "A KeyId appears more than once.",
        "KeyId重复。",
    ),
    "InvalidParameterValue.InvalidAlias": (
        "The alias format is invalid.",
        "别名格式错误。",
    ),
    "InvalidParameterValue.InvalidCiphertext": (
        "The ciphertext format is invalid.",
        "密文格式错误。",
    ),
    "InvalidParameterValue.InvalidDataKeyId": (
        "The DataKeyId is invalid.",
        "DataKeyId无效。",
    ),
    "InvalidParameterValue.InvalidDataKeyName": (
        "The data key name is invalid.",
        "数据密钥名称无效。",
    ),
    "InvalidParameterValue.InvalidHsmClusterId": (
        "The HSM cluster ID is invalid.",
        "HSM集群ID无效。",
    ),
    "InvalidParameterValue.InvalidImportKeyMaterial": (
        "The imported key material is invalid.",
        "导入的密钥材料无效。",
    ),
    "InvalidParameterValue.InvalidKeyId": (
        "The KeyId is invalid.",
        "KeyId无效。",
    ),
    "InvalidParameterValue.InvalidKeyUsage": (
        "The KeyUsage is invalid.",
        "KeyUsage参数错误。",
    ),
    "InvalidParameterValue.InvalidPlaintext": (
        "The plaintext is invalid.",
        "明文无效。",
    ),
    "InvalidParameterValue.InvalidType": (
        "The Type parameter is invalid.",
        "Type参数错误。",
    ),
    "InvalidParameterValue.MaterialNotMatch": (
        "The key material differs from the material imported before.",
        "密钥材料与之前导入的不一致。",
    ),
    "InvalidParameterValue.TagKeysDuplicated": (
        "A tag key appears more than once.",
        "标签键重复。",
    ),
    "InvalidParameterValue.TagsNotExisted": (
        "The tag key or tag value does not exist.",
        "标签键或标签值不存在。",
    ),
    "InvalidRequest": (
        "The multipart request body is malformed.",
        "请求体的multipart格式错误。",
    ),
    "IpInBlacklist": (
        "The caller's IP address is on the account's blacklist.",
        "调用方IP在账号的IP黑名单中。",
    ),
    "IpNotInWhitelist": (
        "The caller's IP address is not on the account's whitelist.",
        "调用方IP不在账号的IP白名单中。",
    ),
    "LimitExceeded": (
        "A quota has been exceeded.",
        "超过配额限制。",
    ),
    "LimitExceeded.CmkLimitExceeded": (
        "The number of CMKs has reached the quota.",
        "CMK数量已达上限。",
    ),
    "LimitExceeded.DataKeyLimitExceeded": (
        "The number of hosted data keys has reached the quota.",
        "托管数据密钥数量已达上限。",
    ),
    "LimitExceeded.FingerprintsLimitExceeded": (
        "There are too many device fingerprints.",
        "设备指纹数量超过上限。",
    ),
    "LimitExceeded.KeyLimitExceeded": (
        "The number of white-box keys has reached the limit.",
        "白盒密钥数量已达上限。",
    ),
    "MissingParameter": (
        "A required parameter is missing.",
        "缺少必填参数。",
    ),
    "NoSuchProduct": (
        "The product does not exist.",
        "产品不存在。",
    ),
    "NoSuchVersion": (
        "The API version does not exist.",
        "接口版本不存在。",
    ),
    "RequestLimitExceeded": (
        "Too many requests: the rate limit was exceeded.",
        "请求频率超过限制。",
    ),
    "RequestLimitExceeded.GlobalRegionUinLimitExceeded": (
        "The account's global request rate limit was exceeded.",
        "账号全局请求频率超过限制。",
    ),
    "RequestLimitExceeded.IPLimitExceeded": (
        "The request rate limit for this IP address was exceeded.",
        "该IP的请求频率超过限制。",
    ),
    "RequestLimitExceeded.RotateRateLimited": (
        "The key was rotated too recently to rotate it again.",
        "密钥轮换过于频繁，暂时不能再次轮换。",
    ),
    "RequestLimitExceeded.UinLimitExceeded": (
        "The account's request rate limit was exceeded.",
        "账号请求频率超过限制。",
    ),
    "RequestSizeLimitExceeded": (
        "The request is too large.",
        "请求包超过大小限制。",
    ),
    "ResourceInUse": (
        "The resource is in use.",
        "资源被占用。",
    ),
    "ResourceInsufficient": (
        "Resources are insufficient.",
        "资源不足。",
    ),
    "ResourceNotFound": (
        "The resource does not exist.",
        "资源不存在。",
    ),
    "ResourceUnavailable": (
        "The resource is unavailable.",
        "资源不可用。",
    ),
    "ResourceUnavailable.CloudResourceBindingNotFound": (
        "The CMK is not bound to this cloud resource.",
        "CMK与该云资源不存在绑定关系。",
    ),
    "ResourceUnavailable.CmkArchived": (
        "The CMK is archived.",
        "CMK已归档。",
    ),
    "ResourceUnavailable.CmkDisabled": (
        "The CMK is disabled.",
        "CMK已被禁用。",
    ),
    "ResourceUnavailable.CmkNotFound": (
        "The CMK does not exist.",
        "CMK不存在。",
    ),
    "ResourceUnavailable.CmkNotPendingDelete": (
        "The CMK is not scheduled for deletion, so there is nothing to cancel.",
        "CMK不处于计划删除状态，无需取消。",
    ),
    "ResourceUnavailable.CmkShouldBeDisabled": (
        "Only a disabled CMK can be scheduled for deletion.",
        "只有已禁用的CMK才能计划删除。",
    ),
    "ResourceUnavailable.CmkStateNotSupport": (
        "The operation is not allowed in the CMK's current state.",
        "CMK当前状态不支持该操作。",
    ),
    "ResourceUnavailable.DataKeyDisabled": (
        "The data key is disabled.",
        "数据密钥已被禁用。",
    ),
    "ResourceUnavailable.DataKeyNotFound": (
        "The data key does not exist.",
        "数据密钥不存在。",
    ),
    "ResourceUnavailable.DataKeyNotPendingDelete": (
        "The data key is not scheduled for deletion, so there is nothing to cancel.",
        "数据密钥不处于计划删除状态，无需取消。",
    ),
    "ResourceUnavailable.DataKeyPendingDelete": (
        "The data key is pending deletion.",
        "数据密钥处于计划删除状态。",
    ),
    "ResourceUnavailable.DataKeyStateNotSupport": (
        "The operation is not allowed in the data key's current state.",
        "数据密钥当前状态不支持该操作。",
    ),
    "ResourceUnavailable.KeyDisabled": (
        "The key is disabled.",
        "密钥已被禁用。",
    ),
    "ResourceUnavailable.KeyPendingDelete": (
        "The key is pending deletion and cannot be used.",
        "密钥处于计划删除状态，不可使用。",
    ),
    "ResourceUnavailable.NotPurchased": (
        "The white-box key service has not been activated.",
        "白盒密钥服务尚未开通。",
    ),
    "ResourceUnavailable.TokenExpired": (
        "The import token has expired.",
        "导入令牌已过期。",
    ),
    "ResponseSizeLimitExceeded": (
        "The response is too large.",
        "返回包超过大小限制。",
    ),
    "ServiceUnavailable": (
        "The service is temporarily unavailable.",
        "服务暂时不可用。",
    ),
    "UnauthorizedOperation": (
        "The operation is not authorized.",
        "未授权操作。",
    ),
    "UnknownParameter": (
        "The request contains an unknown parameter.",
        "请求包含未知参数。",
    ),
    "UnsupportedOperation": (
        "The operation is not supported.",
        "操作不支持。",
    ),
    "UnsupportedOperation.ExternalCmkCanNotRotate": (
        "Imported (EXTERNAL) CMKs cannot be rotated.",
        "外部导入的CMK不支持轮换。",
    ),
    "UnsupportedOperation.NotExternalCmk": (
        "The operation needs an EXTERNAL CMK.",
        "该操作仅支持外部导入（EXTERNAL）类型的CMK。",
    ),
    "UnsupportedOperation.NotRoleOperation": (
        "The operation is not allowed for the caller's role.",
        "调用方角色不允许执行该操作。",
    ),
    "UnsupportedOperation.NotUserCreatedCmk": (
        "Only CMKs created by the user can be changed.",
        "只能修改用户自己创建的CMK。",
    ),
    "UnsupportedOperation.RotateNotSupported": (
        "This key cannot be rotated.",
        "该密钥不支持轮换。",
    ),
    "UnsupportedOperation.ServiceTemporaryUnavailable": (
        "The service is temporarily unavailable.",
        "服务暂时不可用。",
    ),
    "UnsupportedOperation.UnsupportedKeyUsageInCurrentRegion": (
        "This key usage is not supported in the current region.",
        "当前地域不支持该密钥用途。",
    ),
    "UnsupportedProtocol": (
        "Unsupported HTTP method or protocol: only GET and POST are allowed.",
        "HTTP请求方法或协议错误，仅支持GET和POST请求。",
    ),
    "UnsupportedRegion": (
        "The action is not available in the requested region.",
        "接口不支持所请求的地域。",
    ),
}
