-- pgbench: what the server runs for one public lookup, GET /api/v1/public/dossiers/{code}
-- (captured with log_statement = 'all'): one statement, the dossier by its code with the stored text of its
-- process (for the name of the current step). No transaction.
-- pgbench's side only: the code is drawn from bench_codes (the same sample of codes wrk uses), by a
-- sub-select on its primary key; that sub-select is part of what pgbench measures.
\set n random(1, :codes)
SELECT d.status, d.due_at, d.process_id, d.step_id, d.procedure_name, d.received_at, d.finished_at, p.definition FROM ps_dossiers d LEFT JOIN core_processes p ON p.module = 'public-services' AND p.process_id = d.process_id WHERE d.code = (SELECT code FROM bench_codes WHERE n = :n);
