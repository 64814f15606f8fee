-- The accessories that came back with a device at its latest return (from a loan or a booking).
ALTER TABLE devices ADD COLUMN accessories_back TEXT;
