import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing

@Suite("Models read in a short statement")
struct ModelReadTests {
    @Test("a row read by ModelRead is Fluent's model: every field, and saving it updates the row", arguments: TestDatabase.enabled)
    func readAndSave(database: TestDatabase) async throws {
        try await TestInstallation.with(database, .empty) { egov in
            let db = egov.app.db
            let file = StoredFileModel(sha256: String(repeating: "ab", count: 32), size: 42, contentType: "application/pdf", name: "a.pdf")
            try await file.create(on: db)
            let id = try file.requireID()
            let found = try #require(try await ModelRead.first(StoredFileModel.self, where: [("sha256", file.sha256), ("name", "a.pdf")], on: db))
            // MUT's counterpart: Fluent's own read of the same row.
            let fluent = try #require(try await StoredFileModel.find(id, on: db))
            #expect(found.id == id && found.size == fluent.size && found.contentType == fluent.contentType && found.name == fluent.name && found.createdAt == fluent.createdAt && found.createdAt != nil)
            #expect(try await ModelRead.first(StoredFileModel.self, where: [("sha256", file.sha256), ("name", "b.pdf")], on: db) == nil)
            #expect(try await ModelRead.find(StoredFileModel.self, id, on: db)?.sha256 == file.sha256)
            // Saved as a stored row: an update, not a second insert.
            found.size = 43
            try await found.save(on: db)
            #expect(try await StoredFileModel.query(on: db).count() == 1)
            #expect(try await StoredFileModel.find(id, on: db)?.size == 43)
        }
    }
}
