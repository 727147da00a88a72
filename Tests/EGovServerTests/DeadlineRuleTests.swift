import EGovCore
import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
@testable import PublicServices
import Testing
import VaporTesting

/// One deadline rule (`DeadlineClock.status`, and `CasePredicates.deadline` / `late` beside it in SQL): the clock, the lists, the statistics, the CSV and the forms agree.
@Suite("The deadline rule, everywhere alike")
struct DeadlineRuleTests {
    static let guardianship = DossierLifecycleTests.guardianship
    static let benThuy = DossierLifecycleTests.benThuy
    static let files = DossierLifecycleTests.guardianshipFiles

    @Test("a dossier already late when its clock was paused is late in the clock, the list, the statistics and the CSV",
          arguments: TestDatabase.enabled)
    func pausedWhileLate(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let citizen = try await egov.citizen()
            let code = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy, attachments: Self.files)
                .content.decode(DossierJSON.self).code
            try await egov.act("motcua.benthuy", code, "receive")
            try egov.setVietnamTime(2026, 10, 12, hour: 9) // past its three working days
            try await egov.act("chuyenvien.benthuy", code, "request-supplement", note: "Bổ sung")
            // The clock (and so the dossier's page and API).
            #expect(try await egov.dossier(citizen, code).deadline == "late")
            // The leader's list of late dossiers.
            let late = try await egov.get("/api/v1/dossiers?deadline=late", as: "chutich.benthuy").content.decode(PageJSON<SummaryJSON>.self)
            #expect(late.items.map(\.code) == [code])
            // The statistics and their CSV.
            let report = try await egov.get("/api/v1/stats/dossiers?unit=\(Self.benThuy)&from=2026-10-01&to=2026-10-12", as: "chutich.benthuy")
                .content.decode(StatisticsTests.Report.self)
            #expect(report.total.inProgressLate == 1 && report.total.inProgressOnTime == 0)
            let browser = egov.browser()
            _ = try await browser.signIn("chutich.benthuy")
            let csv = try await browser.get("/thong-ke.csv?unit=\(Self.benThuy)&from=2026-10-01&to=2026-10-12").body.string
            let row = try #require(csv.split(separator: "\r\n").last { $0.hasPrefix(Self.benThuy) })
            #expect(row.hasSuffix(",1,1,0,0,0,0,0,1,1,0,0,100.0"), "\(row)")
        }
    }

    @Test("form 04 (apology) is offered from working time left, not from wall-clock hours", arguments: TestDatabase.enabled)
    func apologyFromWorkingTime(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 7, hour: 9) // a Wednesday: three working days end on Monday
            let citizen = try await egov.citizen()
            let code = try await egov.submit(citizen, procedure: Self.guardianship, unit: Self.benThuy, attachments: Self.files)
                .content.decode(DossierJSON.self).code
            try await egov.act("motcua.benthuy", code, "receive")
            let dossier = try #require(try await DossierModel.query(on: egov.app.db).filter(\.$code == code).first())
            let dueAt = try #require(dossier.dueAt)
            #expect(dueAt == TestInstallation.vietnamTime(2026, 10, 12, hour: 9))
            let calendar = try await egov.app.egov.calendars.calendar(on: egov.app.db, now: egov.clock.date)
            // Friday 10:00: 71 hours before the due date, but less than one working day.
            let friday = try #require(TestInstallation.vietnamTime(2026, 10, 9, hour: 10))
            #expect(dueAt.timeIntervalSince(friday) > 86_400)
            #expect(OneStopForm.apology.isAvailable(for: dossier, now: friday, calendar: calendar))
            // Thursday 8:00: more than a working day left.
            let thursday = try #require(TestInstallation.vietnamTime(2026, 10, 8, hour: 8))
            #expect(!OneStopForm.apology.isAvailable(for: dossier, now: thursday, calendar: calendar))
        }
    }
}
