-- The return receipt signed on the screen (issue 14): after devices come back, the person and
-- the social worker sign the same way as the agreement (strokes drawn, or the full name typed
-- with the social worker's attestation); the receipt's PDF is kept with its SHA-256. One per
-- return: `loan_device_ids` lists (JSON) the loan's devices it covers.
CREATE TABLE loan_return_receipts (
    id TEXT PRIMARY KEY NOT NULL,
    loan_id TEXT NOT NULL REFERENCES loans (id),
    loan_device_ids TEXT NOT NULL,
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
CREATE INDEX loan_return_receipts_loan ON loan_return_receipts (loan_id);
