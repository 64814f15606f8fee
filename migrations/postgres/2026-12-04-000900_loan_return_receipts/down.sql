DROP TABLE loan_return_receipts;
