-- pgbench: what the server runs for one online submission, POST /api/v1/dossiers (captured with
-- log_statement = 'all'): two reads (the procedure with its units and the settings; the deciding unit with its
-- process and the applicant's account; the account's positions come from the server's principal cache), then the
-- transaction, in the server's order; the answer
-- is built from what was written. One statement per line; continuation lines are indented (onestop.sh
-- compares the statement sequence with the one it captures from the server on every run).
-- Placeholders @USER@ and @USERNAME@ (the applicant), @TEMPLATE@ (a dossier the server wrote), @SHA@
-- and @SIZE@ (the PDF) are filled in by onestop.sh.
-- The dossier is written under a provisional code and numbered after its first event, so the counter row is
-- held only by the last statements. Like the server on PostgreSQL (WriteBatch), the dossier goes with its first
-- event in one statement, and the file row, the code, the audit event and the stored copy in another.
-- Differences on pgbench's side: the server numbers dossiers in one counter row per receiving unit
-- and day, so every submission of the run takes the same row lock; here all clients share one
-- counter row too ('dossier/pgbench'), so the codes stay unique and the lock is the same. The dossier
-- row is copied from the template (INSERT ... SELECT by primary key) instead of sent as 41 values, and the event
-- takes the new id from it (the server sends the id it generated).
-- No colons in literals: pgbench would read them as variables.
SELECT p.entry AS entry, s.value AS settings, (SELECT string_agg(unit_code, ',') FROM ps_procedure_units WHERE procedure_code = p.code) AS units
  FROM ps_procedures p LEFT JOIN ps_catalogue_documents s ON s.key = 'settings' WHERE p.code = '1.004837';
SELECT u.*, p.definition AS egov_process_definition, a.id AS egov_account_id, a.full_name AS egov_account_full_name,
  a.id_number_sealed AS egov_account_id_number_sealed, a.phone AS egov_account_phone, a.email AS egov_account_email
  FROM core_units u
  LEFT JOIN core_processes p ON p.module = 'public-services' AND p.process_id = (SELECT process_id FROM ps_dossiers WHERE id = '@TEMPLATE@')
  LEFT JOIN core_users a ON a.id = '@USER@'
  WHERE u.code = '000.00.31.H99' LIMIT 1;
BEGIN;
WITH d AS (INSERT INTO ps_dossiers (id, code, procedure_code, procedure_name, process_id, receiving_unit_code, receiving_unit_path,
  competent_unit_code, competent_unit_path, consulted_unit_code, consulted_unit_path, channel, result_delivery, inter_level,
  applicant_id, applicant_name, applicant_id_hash, applicant_id_sealed, applicant_phone_sealed, applicant_email, applicant_address,
  form, status, step_id, holder_positions, holder_unit_path, holder_applicant, assignee_id, assignee_name, state, due_at,
  step_due_at, clock_paused, submitted_at, received_at, finished_at, finished_late, fee_amount, fee_paid, paid_at,
  supplement_requests, late_notified, version, updated_at)
  SELECT gen_random_uuid(), '~' || CAST(gen_random_uuid() AS text), procedure_code, procedure_name, process_id,
  receiving_unit_code, receiving_unit_path, competent_unit_code, competent_unit_path, consulted_unit_code, consulted_unit_path,
  channel, result_delivery, inter_level, applicant_id, applicant_name, applicant_id_hash, applicant_id_sealed,
  applicant_phone_sealed, applicant_email, applicant_address, form, status, step_id, holder_positions, holder_unit_path,
  holder_applicant, assignee_id, assignee_name, state, due_at, step_due_at, clock_paused, now(), received_at, finished_at,
  finished_late, fee_amount, fee_paid, paid_at, supplement_requests, late_notified, 0, now()
  FROM ps_dossiers WHERE id = '@TEMPLATE@' RETURNING id)
  INSERT INTO ps_dossier_events (id, dossier_id, seq, action_id, action_name, from_step, to_step, to_step_name, status, actor_id, actor_name,
  actor_unit_code, at, note, assignee_name, step_on_time, files)
  SELECT gen_random_uuid(), d.id, 1, 'submit', 'Nộp hồ sơ trực tuyến', NULL, 'reception', 'Tiếp nhận hồ sơ',
  'submitted', '@USER@', 'Nguyễn Văn Thử', NULL, now(), NULL, NULL, NULL, '["v.pdf"]' FROM d RETURNING dossier_id \gset
SELECT * FROM core_files WHERE sha256 = '@SHA@' AND name = 'v.pdf' LIMIT 1;
INSERT INTO core_counters (scope, value) VALUES ('dossier/pgbench', 1)
  ON CONFLICT (scope) DO UPDATE SET value = core_counters.value + 1 RETURNING value \gset
WITH w0 AS (INSERT INTO ps_dossier_files (id, dossier_id, component_id, kind, name, content_type, size, sha256, event_seq, created_at)
  VALUES (gen_random_uuid(), CAST(:dossier_id AS uuid), 'van-ban-cu-giam-ho', 'attachment', 'v.pdf', 'application/pdf', @SIZE@, '@SHA@', 1, now())),
  w1 AS (UPDATE ps_dossiers SET code = 'PGBENCH-' || CAST(:value AS text) WHERE id = CAST(:dossier_id AS uuid)),
  w2 AS (INSERT INTO core_audit_events (id, occurred_at, actor_id, actor_name, unit_code, action, target, client_address, summary, hash, seal_id)
  VALUES (gen_random_uuid(), now(), '@USER@', '@USERNAME@', '000.00.31.H99', 'dossier.submit', 'dossier/PGBENCH-' || CAST(:value AS text),
  '127.0.0.1', 'online 1.004837', md5(CAST(random() AS text)) || md5(CAST(random() AS text)), DEFAULT))
  INSERT INTO core_personal_files (id, owner_id, sha256, name, content_type, size, kind, label, source, component_id, created_at, used_at)
  VALUES (gen_random_uuid(), '@USER@', '@SHA@', 'v.pdf', 'application/pdf', @SIZE@, 'submitted', 'v.pdf',
  'dossier/PGBENCH-' || CAST(:value AS text), 'van-ban-cu-giam-ho', now(), now())
  ON CONFLICT (owner_id, sha256) DO UPDATE SET
  kind = CASE WHEN core_personal_files.kind = 'result' THEN core_personal_files.kind ELSE excluded.kind END,
  name = excluded.name, label = excluded.label, source = excluded.source,
  component_id = COALESCE(excluded.component_id, core_personal_files.component_id), used_at = excluded.used_at;
COMMIT;
