import EGovCore
import EGovPlatform
import Fluent
import FluentSQL
import Foundation

/// Full-text search over documents (issue 14 §5, §11): every word of the query must be a word of the document's
/// folded text (its subject, notations and OCR text, without accents: words of letters, digits and dots, one space
/// between them), so “hoi nghi” finds “Hội nghị” but not “thời … nghỉ”. The `LIKE` on whole words decides; each
/// database narrows the rows first with its own index: PostgreSQL a GIN index over the words
/// (`to_tsvector('simple', …)`), SQLite an FTS5 table of trigrams (`doc_search`, words of three letters or more).
enum DocumentSearch {
    /// A search counts its documents up to this many; beyond, it says "more than".
    static let countCap = 1000
    /// How many of the newest documents a search reads first, in date order, for its page.
    static let probeRows = 2000

    /// Every word of the query a word of the document's folded text, as SQL conditions.
    static func conditions(_ terms: [String], on db: any Database) -> [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        let dialect = (db as? any SQLDatabase)?.dialect.name
        if dialect == "postgresql" {
            // The words' index (`AddWordIndex`): the same expression, so the planner can use it.
            conditions.append("to_tsvector('simple', coalesce(search_text, '')) @@ plainto_tsquery('simple', \(bind: terms.joined(separator: " ")))")
        }
        if dialect == "sqlite" {
            let indexed = terms.filter { $0.count >= 3 }
            if !indexed.isEmpty {
                // A trigram FTS5 phrase matches the word anywhere; the words are letters, digits and dots only.
                let match = indexed.map { "\"\($0)\"" }.joined(separator: " AND ")
                conditions.append("""
                    id IN (SELECT document_id FROM doc_search_map WHERE search_rowid IN \
                    (SELECT rowid FROM doc_search WHERE doc_search MATCH \(bind: match)))
                    """)
            }
        }
        // Words are letters, digits and dots (`SearchText.fold`): no LIKE wildcard can be in one.
        for term in terms { conditions.append("(' ' || search_text || ' ') LIKE \(bind: "% \(term) %")") }
        return conditions
    }

    /// The page `range` of the documents meeting every condition, newest first, and how many there are. A common
    /// query is answered from the newest documents read in date order (it has a page among the first
    /// `probeRows`), its total counted up to `countCap`; any other through the words' index, its total exact from
    /// the same read. Either way no search reads every document that has a common word.
    static func page(_ conditions: [SQLQueryString], range: Range<Int>, on db: any Database) async throws
        -> (rows: [DocumentModel], total: Int, exact: Bool) {
        guard let sql = db as? any SQLDatabase else { throw EGovError.forbidden }
        var condition: SQLQueryString = "1 = 1"
        for part in conditions { condition = "\(condition) AND \(part)" }
        let table = SQLIdentifier(DocumentModel.schema)
        let probe = try await sql.raw("""
            SELECT id FROM (SELECT * FROM \(table) ORDER BY created_at DESC, id LIMIT \(bind: probeRows)) d
            WHERE \(condition) ORDER BY created_at DESC, id LIMIT \(bind: range.upperBound)
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
        var ids: [UUID]
        let total: Int, exact: Bool
        if probe.count == range.upperBound {
            ids = Array(probe.dropFirst(range.lowerBound))
            let counted = try await sql.raw("""
                SELECT count(*) AS n FROM (SELECT 1 FROM \(table) WHERE \(condition) LIMIT \(bind: countCap + 1)) c
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            (total, exact) = (min(counted, countCap), counted <= countCap)
        } else {
            let found = try await sql.raw("""
                SELECT id, count(*) OVER () AS total FROM \(table) WHERE \(condition)
                ORDER BY created_at DESC, id LIMIT \(bind: range.count) OFFSET \(bind: range.lowerBound)
                """).all()
            ids = try found.map { try $0.decode(column: "id", as: UUID.self) }
            if let first = found.first {
                (total, exact) = (try first.decode(column: "total", as: Int.self), true)
            } else {
                // A page past the end: the count alone.
                total = try await sql.raw("SELECT count(*) AS n FROM \(table) WHERE \(condition)").first()?.decode(column: "n", as: Int.self) ?? 0
                exact = true
            }
        }
        let models = Dictionary(try await DocumentModel.query(on: db).filter(\.$id ~~ ids).all().compactMap { model in model.id.map { ($0, model) } },
                                uniquingKeysWith: { first, _ in first })
        return (ids.compactMap { models[$0] }, total, exact)
    }
}

/// The search indexes behind `DocumentSearch`, and the rows there already.
struct AddSearchIndex: AsyncMigration {
    var name: String { "documents.013.search-index" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            // The FTS table's rowid for each document: one row each, kept by triggers on doc_documents.
            try await sql.raw("CREATE VIRTUAL TABLE IF NOT EXISTS doc_search USING fts5(search_text, tokenize = 'trigram')").run()
            try await sql.raw("CREATE TABLE IF NOT EXISTS doc_search_map (search_rowid INTEGER PRIMARY KEY, document_id NOT NULL UNIQUE)").run()
            try await sql.raw("""
                CREATE TRIGGER IF NOT EXISTS doc_search_insert AFTER INSERT ON doc_documents BEGIN
                    INSERT INTO doc_search_map (document_id) VALUES (new.id);
                    INSERT INTO doc_search (rowid, search_text)
                        VALUES ((SELECT search_rowid FROM doc_search_map WHERE document_id = new.id), new.search_text);
                END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER IF NOT EXISTS doc_search_update AFTER UPDATE OF search_text ON doc_documents BEGIN
                    UPDATE doc_search SET search_text = new.search_text
                        WHERE rowid = (SELECT search_rowid FROM doc_search_map WHERE document_id = new.id);
                END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER IF NOT EXISTS doc_search_delete AFTER DELETE ON doc_documents BEGIN
                    DELETE FROM doc_search WHERE rowid = (SELECT search_rowid FROM doc_search_map WHERE document_id = old.id);
                    DELETE FROM doc_search_map WHERE document_id = old.id;
                END
                """).run()
            try await sql.raw("INSERT INTO doc_search_map (document_id) SELECT id FROM doc_documents WHERE id NOT IN (SELECT document_id FROM doc_search_map)").run()
            try await sql.raw("""
                INSERT INTO doc_search (rowid, search_text) SELECT m.search_rowid, d.search_text
                FROM doc_search_map m JOIN doc_documents d ON d.id = m.document_id
                """).run()
        } else if sql.dialect.name == "postgresql" {
            // pg_trgm is a trusted extension: the database's owner may create it.
            try await sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm").run()
            try await sql.raw("CREATE INDEX IF NOT EXISTS doc_documents_search_trgm ON doc_documents USING gin (search_text gin_trgm_ops)").run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            for trigger in ["doc_search_insert", "doc_search_update", "doc_search_delete"] {
                try await sql.raw("DROP TRIGGER IF EXISTS \(ident: trigger)").run()
            }
            try await sql.raw("DROP TABLE IF EXISTS doc_search_map").run()
            try await sql.raw("DROP TABLE IF EXISTS doc_search").run()
        } else {
            try await sql.raw("DROP INDEX IF EXISTS doc_documents_search_trgm").run()
        }
    }
}

/// Lists and searches read documents newest first: an index in that order (both databases).
struct AddCreatedIndex: AsyncMigration {
    var name: String { "documents.015.created-index" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS doc_documents_created ON \(ident: DocumentModel.schema) (created_at, id)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX IF EXISTS doc_documents_created").run()
    }
}

/// PostgreSQL finds documents by whole words: a GIN index over the words of the folded text replaces the
/// trigram index (substrings), which made every short word a recheck of the wide rows (BENCHMARKS.md).
struct AddWordIndex: AsyncMigration {
    var name: String { "documents.020.word-index" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("""
            CREATE INDEX IF NOT EXISTS doc_documents_search_words ON \(ident: DocumentModel.schema)
            USING gin (to_tsvector('simple', coalesce(search_text, '')))
            """).run()
        try await sql.raw("DROP INDEX IF EXISTS doc_documents_search_trgm").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS doc_documents_search_trgm ON \(ident: DocumentModel.schema) USING gin (search_text gin_trgm_ops)").run()
        try await sql.raw("DROP INDEX IF EXISTS doc_documents_search_words").run()
    }
}
