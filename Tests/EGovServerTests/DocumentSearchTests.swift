@testable import Documents
import EGovCore
@testable import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

/// Issue 14 §8, §11: generated documents for benchmarks, and the full-text search over them — the index (FTS5
/// trigrams on SQLite, a trigram GIN index on PostgreSQL) finds exactly what the words are in.
@Suite("Documents: bench data and full-text search")
struct DocumentSearchTests {
    struct Page: Decodable {
        struct Item: Decodable { let id: UUID; let notation: String?; let createdAt: Date }
        let items: [Item]
        let total: Int
        let totalExact: Bool
    }

    @Test("a generated year of documents: counters continue, every search finds exactly the documents with all its words",
          arguments: TestDatabase.enabled)
    func generatedAndSearched(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let lines = LineCollector()
            let summary = try await DocumentBenchData.generate(3000, services: egov.app.egov, on: egov.app.db) { written, total in
                lines.add("\(written)/\(total)")
            }
            #expect(summary.cases == 3000 && lines.all.last == "3000/3000" && !summary.sampleCodes.isEmpty)
            let db = egov.app.db
            #expect(try await DocumentModel.query(on: db).count() == 3000)
            let sql = try #require(db as? any SQLDatabase)
            // The index knows every row (SQLite: one FTS row per document, kept by triggers).
            if sql.dialect.name == "sqlite" {
                let rows = try await sql.raw("SELECT count(*) AS n FROM doc_search").first()?.decode(column: "n", as: Int.self)
                #expect(rows == 3000)
            }
            // Each register's counter continues from the highest number written.
            let counters = try await CounterModel.query(on: db).filter(\.$id =~ "documents.outgoing:").all()
            for counter in counters {
                let parts = (counter.id ?? "").split(separator: ":")
                let highest = try await DocumentModel.query(on: db).filter(\.$issuerCode == String(parts[1]))
                    .filter(\.$registerYear == Int(parts[2])).filter(\.$direction == "outgoing").max(\.$number)
                #expect(highest == counter.value, "\(counter.id ?? "")")
            }

            let token = try await egov.login("lanhdao.stp")
            let visible = try await egov.send(.GET, "/api/v1/documents?limit=1", token: token).content.decode(Page.self).total
            #expect(visible > 0 && visible < 3000, "a leader sees their own body's documents")
            for query in ["chuyen doi so", "hoi nghi", "phong chong thien tai 2026", "so", "ke hoach chuyen", "khong co tu nay"] {
                let terms = SearchText.terms(query)
                let found = try await egov.send(.GET, "/api/v1/documents?limit=1&q=\(query.replacingOccurrences(of: " ", with: "+"))", token: token)
                    .content.decode(Page.self).total
                // The same documents without the index: every word a whole word of the folded text, among the visible ones.
                var expected = 0
                var offset = 0
                while offset < visible {
                    let page = try await egov.send(.GET, "/api/v1/documents?limit=200&offset=\(offset)", token: token).content.decode(Page.self)
                    let ids = page.items.map(\.id)
                    let texts = try await DocumentModel.query(on: db).filter(\.$id ~~ ids).all().map { $0.searchText ?? "" }
                    expected += texts.filter { text in terms.allSatisfy(Set(text.split(separator: " ").map(String.init)).contains) }.count
                    offset += 200
                }
                #expect(found == expected, "\(query): \(found) found, \(expected) expected")
            }
            // The provincial leader reads all 3,000: a word every subject has ("năm") is answered from the newest
            // documents, its total capped; the page is the newest, as without the word.
            let province = try await egov.login("chutich.tinh")
            let everything = try await egov.send(.GET, "/api/v1/documents?limit=20", token: province).content.decode(Page.self)
            #expect(everything.total == 3000 && everything.totalExact)
            let common = try await egov.send(.GET, "/api/v1/documents?limit=20&q=nam", token: province).content.decode(Page.self)
            #expect(common.items.map(\.id) == everything.items.map(\.id))
            #expect(common.total == DocumentSearch.countCap && !common.totalExact)
            // Deeper than the newest documents read first: through the index, counted exactly.
            let deep = try await egov.send(.GET, "/api/v1/documents?limit=20&offset=2990&q=nam", token: province).content.decode(Page.self)
            let deepAll = try await egov.send(.GET, "/api/v1/documents?limit=20&offset=2990", token: province).content.decode(Page.self)
            #expect(deep.items.map(\.id) == deepAll.items.map(\.id) && deep.items.count == 10 && deep.total == 3000 && deep.totalExact)
            let beyond = try await egov.send(.GET, "/api/v1/documents?limit=20&offset=5000&q=nam", token: province).content.decode(Page.self)
            #expect(beyond.items.isEmpty && beyond.total == 3000 && beyond.totalExact)

            // A notation written after the row was (issuance) is found: the index follows updates.
            let document = try #require(try await DocumentModel.query(on: db).filter(\.$direction == "incoming")
                .filter(\.$draftingUnitCode == "000.00.03.H99").first())
            document.senderNotation = "77/QĐ-XYZ"
            document.refreshSearchText()
            try await document.save(on: db)
            let found = try await egov.send(.GET, "/api/v1/documents?q=qd+xyz", token: token).content.decode(Page.self)
            #expect(found.items.map(\.id) == [try document.requireID()])
            // Whole words: “hoi nghi” does not find “thời … nghỉ” (whose “thoi” holds “hoi”); its own words do.
            document.subject = "Thông báo thời gian nghỉ Tết"
            document.refreshSearchText()
            try await document.save(on: db)
            let meeting = try await egov.send(.GET, "/api/v1/documents?q=hoi+nghi+tet", token: token).content.decode(Page.self)
            #expect(!meeting.items.map(\.id).contains(try document.requireID()))
            let holiday = try await egov.send(.GET, "/api/v1/documents?q=thoi+gian+nghi+tet", token: token).content.decode(Page.self)
            #expect(holiday.items.map(\.id) == [try document.requireID()])
            // And a deleted row leaves the index.
            try await document.delete(on: db)
            #expect(try await egov.send(.GET, "/api/v1/documents?q=qd+xyz", token: token).content.decode(Page.self).total == 0)
            if sql.dialect.name == "sqlite" {
                let rows = try await sql.raw("SELECT count(*) AS n FROM doc_search_map").first()?.decode(column: "n", as: Int.self)
                #expect(rows == 2999)
            }
        }
    }

    @Test("lists filter by register (the unit's book), type, status and sender, each exactly; a malformed filter is refused",
          arguments: TestDatabase.enabled)
    func filters(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            _ = try await DocumentBenchData.generate(400, services: egov.app.egov, on: egov.app.db) { _, _ in }
            let token = try await egov.login("lanhdao.stp")
            struct Item: Decodable { let id: UUID; let type, status, direction: String }
            struct Items: Decodable { let items: [Item]; let total: Int }
            func ids(_ query: String) async throws -> Set<UUID> {
                var found: [UUID] = []
                var offset = 0
                while true {
                    let response = try await egov.send(.GET, "/api/v1/documents?limit=200&offset=\(offset)\(query)", token: token)
                    #expect(response.status == .ok, "\(query): \(response.body.string)")
                    let page = try response.content.decode(Items.self)
                    found += page.items.map(\.id)
                    offset += 200
                    if offset >= page.total { break }
                }
                return Set(found)
            }
            let visible = try await ids("")
            let models = try await DocumentModel.query(on: egov.app.db).filter(\.$id ~~ Array(visible)).all()
            func expected(_ keep: (DocumentModel) -> Bool) -> Set<UUID> { Set(models.filter(keep).compactMap(\.id)) }
            let type = try #require(models.first?.typeID)
            #expect(try await ids("&type=\(type)") == expected { $0.typeID == type })
            let status = try #require(models.last?.status)
            #expect(try await ids("&status=\(status)") == expected { $0.status == status })
            let justice = "000.00.03.H99"
            let outgoingBook = try await ids("&box=outgoing&unit=\(justice)")
            #expect(!outgoingBook.isEmpty && outgoingBook == expected { $0.direction == "outgoing" && $0.issuerCode == justice })
            #expect(try await ids("&box=incoming&unit=\(justice)") == expected { $0.direction == "incoming" && $0.draftingUnitCode == justice })
            if let sender = models.compactMap(\.senderCode).first {
                #expect(try await ids("&box=incoming&sender=\(sender)") == expected { $0.direction == "incoming" && $0.senderCode == sender })
            }
            for bad in ["type=Quy%C3%AAt", "status=x%27%20OR%201=1", "sender=abc", "unit=\(String(repeating: "1", count: 41))"] {
                let response = try await egov.send(.GET, "/api/v1/documents?\(bad)", token: token)
                #expect(response.status == .badRequest, "\(bad)")
            }
        }
    }
}
