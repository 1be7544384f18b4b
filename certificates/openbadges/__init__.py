"""Open Badges 3.0 / W3C Verifiable Credentials 2.0 forms of our certificates.

``contexts``: the local JSON-LD document loader; ``proofs``: eddsa-rdfc-2022
Data Integrity proofs; ``credentials``: the credentials, the did:web document
and the signed status lists.
"""
