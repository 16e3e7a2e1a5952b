DROP INDEX login_failures_by_time;
DROP INDEX api_tokens_by_expiry;
DROP INDEX cases_by_status;
