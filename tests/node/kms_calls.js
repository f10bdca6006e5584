// kmslab wire tests, second language: the official Tencent Cloud Node.js SDK calls the
// endpoint described by the JSON in argv[2] and prints what it got back as one JSON
// object; tests/server/test_node_sdk.py checks every value against the service itself.
"use strict";

const fs = require("fs");
const https = require("https");
const { Client } = require("tencentcloud-sdk-nodejs/tencentcloud/services/kms/v20190118/kms_client");

async function main() {
  const cfg = JSON.parse(process.argv[2]);
  const httpProfile = {
    endpoint: cfg.endpoint,
    protocol: cfg.protocol,
    reqMethod: cfg.reqMethod || "POST",
    reqTimeout: 30,
  };
  if (cfg.ca) {
    httpProfile.agent = new https.Agent({ ca: fs.readFileSync(cfg.ca) });
  }
  const client = new Client({
    credential: { secretId: cfg.secretId, secretKey: cfg.secretKey },
    region: cfg.region,
    profile: { signMethod: cfg.signMethod, httpProfile, language: "en-US" },
  });
  const out = {};
  const key = await client.CreateKey({ Alias: cfg.alias, Description: "from Node.js" });
  out.keyId = key.KeyId;
  const plaintext = Buffer.from(cfg.plaintext, "utf8").toString("base64");
  const enc = await client.Encrypt({ KeyId: key.KeyId, Plaintext: plaintext });
  out.blob = enc.CiphertextBlob;
  const dec = await client.Decrypt({ CiphertextBlob: enc.CiphertextBlob });
  out.decrypted = Buffer.from(dec.Plaintext, "base64").toString("utf8");
  const dk = await client.GenerateDataKey({ KeyId: key.KeyId, KeySpec: "AES_256" });
  out.dataKey = { plaintext: dk.Plaintext, blob: dk.CiphertextBlob };
  const sm2 = await client.CreateKey({
    Alias: cfg.alias + "-sm2",
    KeyUsage: "ASYMMETRIC_SIGN_VERIFY_SM2",
  });
  out.sm2KeyId = sm2.KeyId;
  out.publicKeyPem = (await client.GetPublicKey({ KeyId: sm2.KeyId })).PublicKeyPem;
  const message = Buffer.from(cfg.message, "utf8").toString("base64");
  const sig = await client.SignByAsymmetricKey({
    KeyId: sm2.KeyId,
    Algorithm: "SM2DSA",
    Message: message,
    MessageType: "RAW",
  });
  out.signature = sig.Signature;
  try {
    await client.Decrypt({ CiphertextBlob: "not-a-blob" });
    out.error = null;
  } catch (err) {
    out.error = { code: err.code, requestId: err.requestId, message: err.message };
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  process.stdout.write(JSON.stringify({ failure: { code: err.code || "", message: err.message } }));
  process.exitCode = 1;
});
