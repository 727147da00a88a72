-- pgbench: what the server runs for one public lookup, GET /api/v1/public/dossiers/{code}
-- (captured with log_statement = 'all'): the dossier by its code, then the catalogue's processes
-- document for the name of the current step. Two statements, no transaction.
-- pgbench's side only: the code is drawn from bench_codes (the same sample of codes wrk uses), by a
-- sub-select on its primary key; that sub-select is part of what pgbench measures.
\set n random(1, :codes)
SELECT * FROM ps_dossiers WHERE code = (SELECT code FROM bench_codes WHERE n = :n) LIMIT 1;
SELECT key, value FROM ps_catalogue_documents WHERE key = 'processes' LIMIT 1;
