@testable import Documents
@testable import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import SQLKit
import Testing

@Suite("Models written in one short statement")
struct ModelWriteTests {
    static func event(_ id: UUID = UUID()) -> AuditEventModel {
        let event = AuditEventModel()
        event.id = id
        event.occurredAt = Date(timeIntervalSince1970: 1_790_000_000.5)
        event.actorID = nil
        event.actorName = "Nguyễn Văn Thử"
        event.unitCode = "000.00.31.H99"
        event.action = "dossier.submit"
        event.target = "dossier/H99.31-261207-0001"
        event.summary = "online 1.004837"
        event.hash = String(repeating: "0", count: 64)
        return event
    }

    @Test("an inserted model is Fluent's: every field written, nil as NULL, an unset column its default, and it is stored",
          arguments: TestDatabase.enabled)
    func create(database: TestDatabase) async throws {
        try await TestInstallation.with(database, .empty) { egov in
            let db = egov.app.db
            let event = Self.event()
            try await ModelWrite.create(event, on: db)
            #expect(event._$idExists && !event.hasChanges)
            let id = try event.requireID()
            let read = try #require(try await AuditEventModel.find(id, on: db))
            #expect(read.occurredAt == event.occurredAt)
            #expect(read.actorID == nil && read.actorName == "Nguyễn Văn Thử"
                && read.unitCode == "000.00.31.H99" && read.action == "dossier.submit" && read.target == event.target
                && read.clientAddress == nil && read.summary == "online 1.004837" && read.hash == event.hash && read.sealID == nil)
            // Stored: saving it again is an update (nothing to write), not a second insert.
            try await ModelWrite.save(event, on: db)
            #expect(try await AuditEventModel.query(on: db).count() == 1)
            // A model without its id gets a new one, as with Fluent.
            let anonymous = Self.event()
            anonymous.id = nil
            try await ModelWrite.create(anonymous, on: db)
            let generated = try #require(anonymous.id)
            #expect(generated != id && anonymous._$idExists)
            #expect(try await AuditEventModel.find(generated, on: db)?.target == event.target)
            #expect(try await AuditEventModel.query(on: db).count() == 2)
        }
    }

    @Test("an update writes the changed fields only, nil as NULL, and leaves the others as the row has them",
          arguments: TestDatabase.enabled)
    func update(database: TestDatabase) async throws {
        try await TestInstallation.with(database, .empty) { egov in
            let db = egov.app.db
            let sql = try #require(db as? any SQLDatabase)
            let event = Self.event()
            try await ModelWrite.create(event, on: db)
            let id = try event.requireID()
            // Someone else changes another column meanwhile.
            try await sql.raw("UPDATE core_audit_events SET summary = 'changed elsewhere' WHERE id = \(bind: id)").run()
            event.target = "dossier/H99.31-261207-0002"
            event.unitCode = nil
            try await ModelWrite.update(event, on: db)
            #expect(!event.hasChanges)
            let read = try #require(try await AuditEventModel.find(id, on: db))
            #expect(read.target == "dossier/H99.31-261207-0002" && read.unitCode == nil && read.summary == "changed elsewhere")
            // The other row is untouched.
            let other = Self.event()
            try await ModelWrite.create(other, on: db)
            other.action = "dossier.receive"
            try await ModelWrite.save(other, on: db)
            #expect(try await AuditEventModel.find(id, on: db)?.action == "dossier.submit")
            #expect(try await AuditEventModel.find(try other.requireID(), on: db)?.action == "dossier.receive")
        }
    }

    @Test("a model keyed by its own column is updated by that column; a model with timestamps goes through Fluent, which sets them",
          arguments: TestDatabase.enabled)
    func customKeysAndTimestamps(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let db = egov.app.db
            let issuers = try await IssuerModel.query(on: db).sort(\.$id).all()
            let first = try #require(issuers.first)
            let unchanged = try #require(issuers.dropFirst().first)
            first.abbreviation = "THỬ"
            try await ModelWrite.update(first, on: db)
            #expect(try await IssuerModel.find(first.id, on: db)?.abbreviation == "THỬ")
            #expect(try await IssuerModel.find(unchanged.id, on: db)?.abbreviation == unchanged.abbreviation)

            let file = StoredFileModel(sha256: String(repeating: "cd", count: 32), size: 7, contentType: "application/pdf", name: "b.pdf")
            file.id = UUID()
            try await ModelWrite.create(file, on: db)
            let stored = try #require(try await StoredFileModel.find(file.id, on: db))
            #expect(stored.createdAt != nil && file.createdAt != nil && file._$idExists)
        }
    }
}
