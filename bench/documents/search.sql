-- What the server sends for one search by a leader (captured with log_statement = 'all'): the bearer token's
-- principal (user, positions, units); the newest documents read in date order for the page (@WHERE@: the
-- visibility and the query's words); then either the total counted up to 1,001 (a common query: the page was
-- there) or the page and its exact total through the words' index (any other; bench/documents.sh decides which
-- the server takes for each query, as the server does); then the page's 20 rows (here: the 20 newest by the
-- date index, the same number of row reads as the server's load by id). :user, :unit_id and :path come from -D.
SELECT * FROM core_users WHERE id = :user LIMIT 1;
SELECT * FROM core_user_positions WHERE user_id = :user;
SELECT * FROM core_units WHERE id IN (:unit_id);
SELECT id FROM (SELECT * FROM doc_documents ORDER BY created_at DESC, id LIMIT 2000) d WHERE @WHERE@ ORDER BY created_at DESC, id LIMIT 20;
@SECOND@;
SELECT * FROM doc_documents ORDER BY created_at DESC, id LIMIT 20;
