-- What the server sends for one issuance (POST /api/v1/documents/{id}/actions/issue by the issuing body's
-- clerk), captured with log_min_duration_statement = 0 on 2026-12-07 (release build) and written here in plain
-- SQL, statement for statement and in order: the bearer token's principal, the document, its process; the seal's
-- key opened once outside the transaction (the PIN counted, then cleared; the CA chain read), the document's
-- files; then the issuing transaction — the row lock with its version, the new state, the history event, the
-- register's counter, the number and notation, the seal's certificate for its stamp and the time-stamping
-- authority, the sealed PDF recorded as the current version with its verification code, the edXML message
-- sealed and kept, the delivery to the other department (an incoming document with its event, files and audit
-- entry, the recipient's status) and the issuance's audit entry; then the answer read back. Variables: :user,
-- :unit_id and :cert (the seal's certificate) from -D; each transaction issues a document drawn at random from
-- bench_docs (those the server issued, with their register's counter scope).
\set n random(1, :ndocs)
SELECT id AS doc, scope FROM bench_docs WHERE n = :n \gset
SELECT * FROM core_users WHERE id = :user LIMIT 1;
SELECT * FROM core_user_positions WHERE user_id = :user;
SELECT * FROM core_units WHERE id IN (:unit_id);
SELECT * FROM doc_documents WHERE id = :doc LIMIT 1;
SELECT * FROM core_processes WHERE module = 'documents' AND process_id = 'outgoing' LIMIT 1;
SELECT * FROM core_units WHERE code = '000.00.01.H99' LIMIT 1;
SELECT * FROM core_pki_certificates WHERE id = :cert;
UPDATE core_pki_certificates SET pin_failures = pin_failures + 1 WHERE id = :cert AND pin_failures < 5 RETURNING pin_failures;
UPDATE core_pki_certificates SET pin_failures = 0 WHERE id = :cert;
SELECT * FROM core_pki_authorities ORDER BY created_at;
SELECT * FROM doc_document_files WHERE document_id = :doc AND current = true;
BEGIN;
UPDATE doc_documents SET version = version + 1 WHERE id = :doc RETURNING id;
UPDATE doc_documents SET version = version, state = state, step_id = step_id, status = status, holder_positions = NULL,
    holder_unit_path = NULL, assignee_id = NULL, assignee_name = NULL, updated_at = now() WHERE id = :doc;
SELECT count(*) AS n FROM doc_document_events WHERE document_id = :doc;
INSERT INTO doc_document_events SELECT (jsonb_populate_record(e, jsonb_build_object('id', gen_random_uuid(),
    'seq', (SELECT max(seq) + 1 FROM doc_document_events WHERE document_id = :doc), 'at', now()))).*
    FROM doc_document_events e WHERE document_id = :doc ORDER BY seq DESC LIMIT 1;
SELECT * FROM doc_issuers WHERE unit_code = '000.00.01.H99' LIMIT 1;
SELECT * FROM doc_types WHERE id = 'quyet-dinh' LIMIT 1;
INSERT INTO core_counters (scope, value) VALUES (:scope, 1)
    ON CONFLICT (scope) DO UPDATE SET value = core_counters.value + 1 RETURNING value \gset
UPDATE doc_documents SET register_year = register_year, number = :value, notation = notation, issued_at = now(), search_text = search_text
    WHERE id = :doc;
SELECT * FROM doc_document_files WHERE document_id = :doc AND current = true;
SELECT * FROM core_pki_certificates WHERE unit_id = (SELECT unit_id FROM core_pki_certificates WHERE id = :cert) ORDER BY not_after DESC;
SELECT * FROM core_pki_authorities ORDER BY created_at;
SELECT * FROM core_pki_authorities ORDER BY created_at;
INSERT INTO core_audit_events (id, occurred_at, actor_id, actor_name, unit_code, action, target, client_address, summary, hash)
    VALUES (gen_random_uuid(), now(), :user, 'vanthu.snv', '000.00.01.H99', 'signature.pdf.seal', 'certificate-bench', NULL, 'document', md5(random()::text));
UPDATE doc_document_files SET current = current WHERE document_id = :doc AND current = true;
SELECT * FROM core_files WHERE sha256 = (SELECT sha256 FROM doc_document_files WHERE document_id = :doc LIMIT 1) LIMIT 1;
INSERT INTO core_files (id, sha256, size, content_type, name, created_at) VALUES (gen_random_uuid(), md5(random()::text), 1000, 'application/pdf', 'quyet-dinh.pdf', now());
INSERT INTO doc_document_files SELECT (jsonb_populate_record(f, jsonb_build_object('id', gen_random_uuid(), 'created_at', now()))).*
    FROM doc_document_files f WHERE document_id = :doc LIMIT 1;
INSERT INTO core_verification_codes (code, sha256, name, target, created_at) VALUES (md5(random()::text), md5(random()::text), 'quyet-dinh.pdf', 'document-bench', now());
SELECT * FROM core_units WHERE code IN ('000.00.01.H99', '000.00.03.H99');
SELECT * FROM doc_types WHERE id = 'quyet-dinh' LIMIT 1;
SELECT document_id AS case_id, actor_name FROM doc_document_events WHERE document_id IN (:doc) AND action_id = 'approve' ORDER BY seq DESC;
SELECT * FROM doc_document_files WHERE document_id = :doc AND current = true;
INSERT INTO core_audit_events (id, occurred_at, actor_id, actor_name, unit_code, action, target, client_address, summary, hash)
    VALUES (gen_random_uuid(), now(), :user, 'vanthu.snv', '000.00.01.H99', 'signature.xml.seal', 'certificate-bench', NULL, 'edxml', md5(random()::text));
SELECT * FROM core_files WHERE sha256 = md5(random()::text) LIMIT 1;
INSERT INTO core_files (id, sha256, size, content_type, name, created_at) VALUES (gen_random_uuid(), md5(random()::text), 20000, 'application/xml', 'edxml.xml', now());
UPDATE doc_documents SET edxml_sha256 = md5(random()::text) WHERE id = :doc;
SELECT * FROM doc_document_files WHERE document_id = :doc AND current = true;
SELECT * FROM core_units WHERE code = '000.00.03.H99' LIMIT 1;
SELECT * FROM core_processes WHERE module = 'documents' AND process_id = 'incoming' LIMIT 1;
SELECT * FROM core_units WHERE code = '000.00.01.H99' LIMIT 1;
INSERT INTO doc_documents SELECT (jsonb_populate_record(d, jsonb_build_object('id', gen_random_uuid(), 'direction', 'incoming',
    'source_document_id', d.id, 'number', NULL, 'register_year', NULL, 'edxml_document_id', gen_random_uuid()::text, 'created_at', now()))).*
    FROM doc_documents d WHERE d.id = :doc;
INSERT INTO doc_document_events SELECT (jsonb_populate_record(e, jsonb_build_object('id', gen_random_uuid(),
    'seq', (SELECT max(seq) + 1 FROM doc_document_events WHERE document_id = :doc), 'at', now()))).*
    FROM doc_document_events e WHERE document_id = :doc ORDER BY seq DESC LIMIT 1;
INSERT INTO core_audit_events (id, occurred_at, actor_id, actor_name, unit_code, action, target, client_address, summary, hash)
    VALUES (gen_random_uuid(), now(), NULL, 'system', '000.00.03.H99', 'document.receive', 'document-bench', NULL, 'receive', md5(random()::text));
SELECT * FROM core_files WHERE sha256 = md5(random()::text) LIMIT 1;
INSERT INTO doc_document_files SELECT (jsonb_populate_record(f, jsonb_build_object('id', gen_random_uuid(), 'created_at', now()))).*
    FROM doc_document_files f WHERE document_id = :doc LIMIT 1;
SELECT * FROM core_files WHERE sha256 = md5(random()::text) LIMIT 1;
INSERT INTO doc_document_files SELECT (jsonb_populate_record(f, jsonb_build_object('id', gen_random_uuid(), 'created_at', now()))).*
    FROM doc_document_files f WHERE document_id = :doc LIMIT 1;
INSERT INTO doc_recipients (id, document_id, recipient_code, delivered_id, status_code, updated_at)
    VALUES (gen_random_uuid(), :doc, gen_random_uuid()::text, NULL, '01', now());
INSERT INTO core_audit_events (id, occurred_at, actor_id, actor_name, unit_code, action, target, client_address, summary, hash)
    VALUES (gen_random_uuid(), now(), :user, 'vanthu.snv', '000.00.01.H99', 'document.issue', 'document-bench', NULL, 'issuance → issued', md5(random()::text));
COMMIT;
SELECT * FROM doc_types WHERE id = 'quyet-dinh' LIMIT 1;
SELECT * FROM core_processes WHERE module = 'documents' AND process_id = 'outgoing' LIMIT 1;
SELECT * FROM doc_document_events WHERE document_id = :doc ORDER BY seq;
SELECT * FROM doc_document_files WHERE document_id = :doc ORDER BY created_at;
SELECT * FROM doc_recipients WHERE document_id = :doc ORDER BY recipient_code;
