"""Certificates as Open Badges 3.0 verifiable credentials: signing keys, the credential, the
status list that reflects revoked and reissued certificates, and the verifier behind the upload
form. docs/certificates.md ("Open Badges 3.0 credentials") names the documents each part follows.
"""
