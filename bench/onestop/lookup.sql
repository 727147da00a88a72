-- pgbench: what the server runs for GET /api/v1/public/dossiers/{code} (captured with
-- log_statement = 'all'): the dossier by its code, then the processes document for the step's name.
-- The code is drawn from bench_codes (the same sample wrk uses); that sub-select is pgbench's own cost.
\set n random(1, :codes)
SELECT * FROM ps_dossiers WHERE code = (SELECT code FROM bench_codes WHERE n = :n) LIMIT 1;
SELECT key, value FROM ps_catalogue_documents WHERE key = 'processes' LIMIT 1;
