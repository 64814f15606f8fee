-- The agreement signed on the screen at the desk (issue 14): each signer's mark (strokes drawn
-- with a finger or a stylus, or the full name typed, with the social worker's attestation),
-- and the signed PDF that carries both, with its SHA-256. One per loan, never replaced.
CREATE TABLE loan_signatures (
    loan_id TEXT PRIMARY KEY NOT NULL REFERENCES loans (id),
    borrower_kind TEXT NOT NULL,
    borrower_mark TEXT NOT NULL,
    social_worker_kind TEXT NOT NULL,
    social_worker_mark TEXT NOT NULL,
    attested_by TEXT REFERENCES users (id),
    pdf BYTEA NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    signed_by TEXT NOT NULL REFERENCES users (id),
    signed_at TIMESTAMP NOT NULL
);
