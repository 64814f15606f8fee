DROP TABLE counters;
DROP TABLE api_tokens;
DROP TABLE users;
DROP TABLE organisations;
