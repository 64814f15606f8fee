ALTER TABLE devices DROP COLUMN accessories_back;
