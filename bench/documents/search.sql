-- What the server sends for one search by a leader (captured with log_statement = 'all'): the bearer token's
-- principal (user, positions, units), then the page's count and rows. bench/documents.sh fills in :user,
-- :unit_id, :path and the LIKE conditions of the query's words (@TERMS@), one script per query.
SELECT * FROM core_users WHERE id = :user LIMIT 1;
SELECT * FROM core_user_positions WHERE user_id = :user;
SELECT * FROM core_units WHERE id IN (:unit_id);
SELECT COUNT(id) AS aggregate FROM doc_documents WHERE ((competent_unit_path LIKE :path_like OR receiving_unit_path LIKE :path_like OR consulted_unit_path LIKE :path_like) OR (finished_at IS NULL AND ((holder_positions LIKE '%,leader,%' AND holder_unit_path IN (:path))) AND (assignee_id IS NULL OR assignee_id = :user)) OR drafter_id = :user OR (id IN (SELECT document_id FROM doc_document_events WHERE actor_id = :user) OR id IN (SELECT document_id FROM doc_participants WHERE user_id = :user))) @TERMS@;
SELECT * FROM doc_documents WHERE ((competent_unit_path LIKE :path_like OR receiving_unit_path LIKE :path_like OR consulted_unit_path LIKE :path_like) OR (finished_at IS NULL AND ((holder_positions LIKE '%,leader,%' AND holder_unit_path IN (:path))) AND (assignee_id IS NULL OR assignee_id = :user)) OR drafter_id = :user OR (id IN (SELECT document_id FROM doc_document_events WHERE actor_id = :user) OR id IN (SELECT document_id FROM doc_participants WHERE user_id = :user))) @TERMS@ ORDER BY created_at DESC, id ASC LIMIT 20 OFFSET 0;
