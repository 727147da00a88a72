import EGovCore
import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing

@Suite("The personal e-data store keeps one row per owner and content")
struct PersonalDataStoreTests {
    @Test("a later use updates the row; a result stays a result; a missing component keeps the one there", arguments: TestDatabase.enabled)
    func keepUpdates(database: TestDatabase) async throws {
        try await TestInstallation.with(database, .empty) { egov in
            let db = egov.app.db
            let owner = UserID(UUID())
            let file = StoredFileModel(sha256: String(repeating: "cd", count: 32), size: 7, contentType: "application/pdf", name: "giay.pdf")
            let first = try await PersonalDataStore.keep(owner: owner, file: file, kind: .submitted, label: "Giấy khai sinh",
                                                         source: "dossier:A", componentID: "giay-khai-sinh", at: egov.clock.date, on: db)
            let result = try await PersonalDataStore.keep(owner: owner, file: file, kind: .result, label: "Kết quả",
                                                          source: "dossier:B", componentID: nil, at: egov.clock.date, on: db)
            let again = try await PersonalDataStore.keep(owner: owner, file: file, kind: .submitted, label: "Nộp lại",
                                                         source: "dossier:C", componentID: nil, at: egov.clock.date, on: db)
            #expect(first.kind == "submitted" && first.componentID == "giay-khai-sinh" && first.size == 7)
            #expect(result.id == first.id && result.kind == "result" && result.componentID == "giay-khai-sinh" && result.label == "Kết quả")
            #expect(again.id == first.id && again.kind == "result" && again.source == "dossier:C" && again.label == "Nộp lại")
            let rows = try await PersonalFileModel.query(on: db).filter(\.$ownerID == owner.rawValue).all()
            #expect(rows.count == 1 && rows.first?.kind == "result" && rows.first?.source == "dossier:C")
        }
    }

    @Test("requests keeping the same content at once all succeed, with one row", arguments: TestDatabase.enabled)
    func keepConcurrently(database: TestDatabase) async throws {
        try await TestInstallation.with(database, .empty) { egov in
            let db = egov.app.db
            let owner = UserID(UUID())
            let now = egov.clock.date
            let kept = try await withThrowingTaskGroup(of: UUID?.self) { group in
                for index in 0..<12 {
                    group.addTask {
                        let file = StoredFileModel(sha256: String(repeating: "ef", count: 32), size: 9, contentType: "application/pdf",
                                                   name: "don-\(index).pdf")
                        return try await db.transaction { tx in
                            try await PersonalDataStore.keep(owner: owner, file: file, kind: .submitted, label: "Đơn \(index)",
                                                             source: "upload", componentID: nil, at: now, on: tx).id
                        }
                    }
                }
                var ids: Set<UUID?> = []
                for try await id in group { ids.insert(id) }
                return ids
            }
            #expect(kept.count == 1 && kept.first != nil)
            #expect(try await PersonalFileModel.query(on: db).filter(\.$ownerID == owner.rawValue).count() == 1)
        }
    }
}
