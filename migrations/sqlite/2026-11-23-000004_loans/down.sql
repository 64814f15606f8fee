DELETE FROM counters WHERE name = 'loan_seq';
DROP TABLE loan_scans;
DROP TABLE loan_charges;
DROP TABLE loan_checkpoints;
DROP TABLE loan_devices;
DROP TABLE loans;
DROP TABLE borrowers;
DROP TABLE programmes;
