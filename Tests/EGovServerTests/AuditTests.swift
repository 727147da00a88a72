import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import SQLKit
import Testing

@Suite("Audit log: sealing and tamper detection")
struct AuditTests {
    /// Records `count` events a second apart and seals them.
    static func recordAndSeal(_ egov: TestInstallation, count: Int) async throws -> [AuditEventModel] {
        // Seal what the template already holds, so these events start a seal of their own.
        egov.clock.advance(by: 5)
        while try await AuditLog.seal(on: egov.app.db, now: egov.clock.date) > 0 {}
        var events: [AuditEventModel] = []
        for index in 0..<count {
            events.append(try await AuditLog.record(
                AuditEntry(actorName: "tester", unitCode: "000.00.31.H99", action: "test.action", target: "thing:\(index)",
                           clientAddress: "127.0.0.1", summary: "trước: \(index) → sau: \(index + 1)"),
                at: egov.clock.date, on: egov.app.db))
            egov.clock.advance(by: 1)
        }
        egov.clock.advance(by: 5)
        while try await AuditLog.seal(on: egov.app.db, now: egov.clock.date, batchSize: 3) > 0 {}
        return events
    }

    static func seal(of id: UUID, _ egov: TestInstallation) async throws -> Int {
        let event = try #require(try await AuditEventModel.find(id, on: egov.app.db))
        guard let sealID = event.sealID, let seal = try await AuditSealModel.find(sealID, on: egov.app.db) else {
            throw TestSetupError("event \(id) is not sealed")
        }
        return seal.sequence
    }

    @Test("an untouched log verifies; every action of the API is in it", arguments: TestDatabase.enabled)
    func intact(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            _ = try await Self.recordAndSeal(egov, count: 7)
            let result = try await AuditLog.verify(on: egov.app.db)
            #expect(result.isIntact)
            #expect(result.sealsChecked >= 3)
            #expect(result.unsealedEvents == 0)
            let seals = try await AuditSealModel.query(on: egov.app.db).sort(\.$sequence).all()
            for (previous, next) in zip(seals, seals.dropFirst()) { #expect(next.previousHash == previous.hash) }
        }
    }

    @Test("an altered event is named, even when its own hash was rewritten too", arguments: TestDatabase.enabled)
    func altered(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let events = try await Self.recordAndSeal(egov, count: 6)
            let victim = try #require(events[3].id)
            let sequence = try await Self.seal(of: victim, egov)
            let sql = try #require(egov.app.db as? any SQLDatabase)
            // MUT: change the summary directly in the database.
            try await sql.update(AuditEventModel.schema).set("summary", to: "đã sửa").where("id", .equal, victim).run()
            // validate
            let result = try await AuditLog.verify(on: egov.app.db)
            #expect(result.problems.first == .alteredEvent(victim, seal: sequence))
            // A careful forger recomputes the event's own hash: the seal still catches it.
            let forged = try #require(try await AuditEventModel.find(victim, on: egov.app.db))
            try await sql.update(AuditEventModel.schema).set("hash", to: AuditLog.hash(of: forged)).where("id", .equal, victim).run()
            #expect(try await AuditLog.verify(on: egov.app.db).problems.first == .alteredEvent(victim, seal: sequence))
        }
    }

    @Test("a removed event is named", arguments: TestDatabase.enabled)
    func removed(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let events = try await Self.recordAndSeal(egov, count: 6)
            let victim = try #require(events[1].id)
            let sequence = try await Self.seal(of: victim, egov)
            // MUT
            try await AuditEventModel.query(on: egov.app.db).filter(\.$id == victim).delete()
            // validate
            let result = try await AuditLog.verify(on: egov.app.db)
            #expect(result.problems.first == .missingEvent(victim, seal: sequence))
        }
    }

    @Test("a removed or rewritten seal breaks the chain", arguments: TestDatabase.enabled)
    func brokenChain(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let events = try await Self.recordAndSeal(egov, count: 9)
            let sequence = try await Self.seal(of: try #require(events[4].id), egov)
            let sql = try #require(egov.app.db as? any SQLDatabase)
            try await sql.update(AuditSealModel.schema).set("previous_hash", to: String(repeating: "f", count: 64))
                .where("sequence", .equal, sequence).run()
            #expect(try await AuditLog.verify(on: egov.app.db).problems.first == .brokenSeal(sequence))
        }
    }

    @Test("state-changing API calls are audited with actor, unit and client", arguments: TestDatabase.enabled)
    func apiActionsAreAudited(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let token = try await egov.token("quantri.tinh")
            let response = try await egov.send(.POST, "/api/v1/users", token: token,
                                               json: #"{"username":"moi.snv","fullName":"Phạm Văn Mới","unitCode":"000.00.01.H99","positions":["specialist","clerk"]}"#)
            #expect(response.status == .created)
            let event = try #require(try await AuditEventModel.query(on: egov.app.db).filter(\.$action == "user.create")
                .filter(\.$target == "user:moi.snv").first())
            #expect(event.actorName == "quantri.tinh")
            #expect(event.unitCode == "000.00.01.H99")
            #expect(event.summary.contains("clerk,specialist"))
            #expect(event.hash == AuditLog.hash(of: event))
        }
    }

    @Test("the audit page lists and filters events for an auditor, and is closed to others", arguments: TestDatabase.enabled)
    func auditPage(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            _ = try await Self.recordAndSeal(egov, count: 3)
            let admin = egov.browser()
            #expect(try await admin.signIn("quantri.tinh").status == .seeOther)
            let page = try await admin.get("/admin/audit?action=test.action")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("thing:2"))
            #expect(!page.body.string.contains("pack.import"))
            let specialist = egov.browser()
            #expect(try await specialist.signIn("chuyenvien.benthuy").status == .seeOther)
            #expect(try await specialist.get("/admin/audit").status == .forbidden)
            // A ward leader sees the ward's events only.
            let leader = egov.browser()
            #expect(try await leader.signIn("chutich.vanson").status == .seeOther)
            let other = try await leader.get("/admin/audit?action=test.action")
            #expect(other.status == .ok)
            #expect(!other.body.string.contains("thing:2"))
        }
    }
}
