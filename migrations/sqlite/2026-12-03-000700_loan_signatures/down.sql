DROP TABLE loan_signatures;
