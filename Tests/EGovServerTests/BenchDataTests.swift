import EGovCore
import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
@testable import PublicServices
import SQLKit
import Testing

/// `egov bench-data` (issue 15): every batch is committed with the counters it used, and running it again after a
/// stop continues to the number asked for.
@Suite("Generated benchmark dossiers")
struct BenchDataTests {
    @Test("a stopped run is continued to the number asked for, with unique codes and counters that cover them",
          arguments: TestDatabase.enabled)
    func continued(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            let db = egov.app.db
            let before = try await DossierModel.query(on: db).count()
            // A run that stopped after 700 dossiers (one whole batch and part of the next, committed)...
            let first = try await BenchData.generate(dossiers: before + 700, services: egov.app.egov, on: db) { _, _ in }
            #expect(first.dossiers == 700 && first.resumedFrom == before)
            // ...then the same command for 1,200: it writes the other 500.
            let second = try await BenchData.generate(dossiers: before + 1200, services: egov.app.egov, on: db) { _, _ in }
            #expect(second.resumedFrom == before + 700 && second.dossiers == 500)
            #expect(try await DossierModel.query(on: db).count() == before + 1200)
            #expect(!second.sampleCodes.isEmpty)
            // Asked again for what is there: nothing to do.
            let third = try await BenchData.generate(dossiers: before + 1200, services: egov.app.egov, on: db) { _, _ in }
            #expect(third.dossiers == 0)

            // Every code is unique (the table says so); each counter is the last number its scope handed out, so a
            // submission after it numbers on.
            let sql = try #require(db as? any SQLDatabase)
            let counters = try await sql.raw("SELECT scope, value FROM core_counters WHERE scope LIKE 'dossier:%'").all()
                .reduce(into: [String: Int]()) { $0[try $1.decode(column: "scope", as: String.self)] = try $1.decode(column: "value", as: Int.self) }
            let settings = try await CatalogueStore.settings(on: db)
            let calendar = try await egov.app.egov.calendars.calendar(on: db, now: egov.clock.date)
            let dossiers = try await DossierModel.query(on: db).all()
            let codes = Set(dossiers.map(\.code))
            var scopes: [String: (unit: String, date: CivilDate)] = [:]
            for dossier in dossiers {
                let date = calendar.civilDate(of: dossier.submittedAt)
                scopes[settings.dossierCode.counterScope(kind: "dossier", unit: dossier.receivingUnitCode, date: date)] = (dossier.receivingUnitCode, date)
            }
            #expect(scopes.count > 1)
            for (scope, at) in scopes {
                let last = try #require(counters[scope], "no counter for \(scope)")
                #expect(codes.contains(settings.dossierCode.format(unit: at.unit, date: at.date, sequence: last)), "\(scope) at \(last)")
                #expect(!codes.contains(settings.dossierCode.format(unit: at.unit, date: at.date, sequence: last + 1)), "\(scope) past \(last)")
            }
        }
    }
}
