DROP TABLE sign_in_failures;
DROP TABLE invitations;
DROP TABLE sessions;
DROP INDEX users_email_lower;
ALTER TABLE users DROP COLUMN lang;
ALTER TABLE users DROP COLUMN password_hash;
