-- PBX account passwords are stored sealed with AES-256-GCM under a key outside the database
-- (SecretBox, docs/security.md): "v1:" + base64(nonce | ciphertext | tag) needs more room than the
-- 128 characters of a clear password. Rows written in clear before this version are sealed by the
-- gateway at start-up (AccountService.sealClearSipPasswords), which has the key; SQL does not.
ALTER TABLE sip_accounts ALTER COLUMN sip_password SET DATA TYPE VARCHAR(1024);
